/**
 * The `metadata` command holds V8's young generation at its starting size (`holdYoungGeneration`,
 * called before anything else loads): a run's main thread would otherwise carry up to 32 MB of it.
 * Observed from inside the built command's process (a preloaded script reports the young
 * generation's size as the process exits), after a real profile of the example data lake.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../helpers/user-project';

const CLI = path.join(REPO_ROOT, 'packages', 'cli', 'dist', 'bin.js');
const MB = 1024 * 1024;

let dir: string;
let report: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'om-young-'));
  report = path.join(dir, 'report-young-generation.cjs');
  fs.writeFileSync(
    report,
    "process.on('exit', () => process.stderr.write('young generation ' + require('node:v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size + '\\n'));\n",
  );
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The young generation's size (both semi-spaces) as `node <args>` exits. */
function youngAtExit(args: string[]): number {
  const run = spawnSync(process.execPath, ['-r', report, ...args], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 * MB });
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${run.status}: ${run.stderr}`);
  const m = /young generation (\d+)/.exec(run.stderr);
  if (!m) throw new Error(`no report in: ${run.stderr}`);
  return Number(m[1]);
}

test('a profile run by the command ends with the young generation it started with', () => {
  // Without the hold, loading the modules alone doubles it (twice).
  expect(youngAtExit(['-e', "require('@om/core'); require('@om/profiler'); require('@om/datalake');"])).toBeGreaterThan(2 * MB);
  expect(youngAtExit([CLI, 'profile', '-c', 'examples/local-profiler.yaml'])).toBeLessThanOrEqual(2 * MB);
});
