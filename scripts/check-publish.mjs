// What a published package looks like to its users: publint (manifest, exports, files) and
// Are the Types Wrong (every export resolves to JS and types under Node 16+ resolution, which is
// all a Node >= 20.19 package supports). Run after `pnpm build`; exits 1 on any problem.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const failed = [];
for (const group of ['packages', 'plugins']) {
  for (const entry of fs.readdirSync(path.join(root, group)).sort()) {
    const dir = path.join(root, group, entry);
    const manifest = path.join(dir, 'package.json');
    if (!fs.existsSync(manifest) || JSON.parse(fs.readFileSync(manifest, 'utf8')).private) continue;
    for (const [tool, args] of [
      ['publint', ['--strict', '--pack', 'pnpm']],
      ['attw', ['--pack', '.', '--profile', 'node16', '--format', 'ascii', '--no-emoji']],
    ]) {
      const r = spawnSync(bin(tool), args, { cwd: dir, encoding: 'utf8' });
      const out = `${r.stdout}${r.stderr}`.trim();
      if (r.status !== 0) {
        failed.push(`${group}/${entry}: ${tool}`);
        console.error(`== ${group}/${entry}: ${tool} failed\n${out}\n`);
      } else console.log(`${group}/${entry}: ${tool} ok`);
    }
  }
}
if (failed.length) {
  console.error(`publish checks failed: ${failed.join(', ')}`);
  process.exit(1);
}
