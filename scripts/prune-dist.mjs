// prepack of every package: remove compiled files whose source is gone (tsc never deletes
// outputs, so a moved or deleted module would otherwise ship, stale, in the tarball).
import fs from 'node:fs';
import path from 'node:path';

const dist = path.resolve('dist');
const src = path.resolve('src');
const compiled = /(\.d\.ts|\.js)(\.map)?$/;
let removed = 0;
for (const rel of fs.existsSync(dist) ? fs.readdirSync(dist, { recursive: true }) : []) {
  const file = path.join(dist, String(rel));
  if (!compiled.test(file) || !fs.statSync(file).isFile()) continue;
  const base = path.join(src, String(rel).replace(compiled, ''));
  if (['.ts', '.tsx', '.mts', '.cts'].some((ext) => fs.existsSync(base + ext))) continue;
  fs.rmSync(file);
  removed++;
}
if (removed) console.log(`prune-dist: removed ${removed} compiled file(s) without a source in src/`);
