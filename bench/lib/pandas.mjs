// The pandas reference of scenario 5: Debian's python3-pandas (installed with apt when missing, full
// mode only) running bench/peers/pandas_profile.py in a child process. Never fails the bench: when pandas
// cannot be had, the callers get `{ skipped: reason }`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { BENCH } from './env.mjs';
import { track } from './servers.mjs';

// Debian's interpreter: the `python3` on PATH may be another one without the Debian packages.
export const PYTHON = process.env.BENCH_PANDAS_PYTHON || '/usr/bin/python3';
export const SCRIPT = path.join(BENCH, 'peers/pandas_profile.py');

function pandasVersion() {
  if (!fs.existsSync(PYTHON)) return { missing: `${PYTHON} not found` };
  const r = spawnSync(PYTHON, ['-c', 'import pandas, numpy; print(pandas.__version__)'], { encoding: 'utf8', timeout: 60_000 });
  if (r.status === 0) return { version: r.stdout.trim() };
  return { missing: (r.stderr || r.error?.message || 'import failed').trim().split('\n').pop() };
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    timeout: 15 * 60 * 1000,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status === 0) return undefined;
  return `${[cmd, ...args].join(' ')}: ${r.error?.message ?? `exit ${r.status ?? r.signal}`} ${(r.stderr || '').trim().split('\n').slice(-2).join(' ')}`.trim();
}

const onPath = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;

/**
 * pandas for PYTHON (`BENCH_PANDAS_PYTHON`, else `/usr/bin/python3`): `{ version }`, or `{ skipped }` with the reason. Installs
 * python3-pandas with apt (`apt-get update` once, then the install) unless `install` is false.
 */
export function ensurePandas({ install, log }) {
  const first = pandasVersion();
  if (first.version) return first;
  if (first.missing === `${PYTHON} not found`) return { skipped: first.missing };
  if (!install) return { skipped: `pandas is not installed for ${PYTHON} (${first.missing}); the full run installs python3-pandas` };
  if (!onPath('apt-get')) return { skipped: 'apt-get is not available to install python3-pandas' };
  const root = process.getuid?.() === 0;
  if (!root && !onPath('sudo')) return { skipped: 'installing python3-pandas needs root (no sudo)' };
  const apt = (args) => (root ? run('apt-get', args) : run('sudo', ['-n', 'apt-get', ...args]));
  log?.('installing python3-pandas with apt (apt-get update, apt-get install)');
  const failed = apt(['update']) ?? apt(['install', '-y', '--no-install-recommends', 'python3-pandas']);
  if (failed) return { skipped: `apt could not install python3-pandas: ${failed.slice(0, 300)}` };
  const after = pandasVersion();
  return after.version ? { ...after, installed: true } : { skipped: `python3-pandas installed but pandas does not import: ${after.missing}` };
}

/** Runs the pandas profile of `file` in its own process; resolves with its JSON line (or `{ skipped }`). */
export function pandasProfile(file, { schedule = 'one-pass', timeoutMs = 60 * 60 * 1000 } = {}) {
  return new Promise((resolve) => {
    const child = track(spawn(PYTHON, [SCRIPT, file, '--schedule', schedule], { stdio: ['ignore', 'pipe', 'pipe'] }));
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out = (out + d).slice(-20000)));
    child.stderr.on('data', (d) => (err = (err + d).slice(-4000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (e) => resolve({ skipped: `cannot start ${PYTHON}: ${e.message}` }));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop();
      if (code === 0 && last?.startsWith('{')) return resolve(JSON.parse(last));
      resolve({ skipped: `the pandas profile ${code === null ? `was killed by ${signal}` : `exited with ${code}`}: ${err.trim().slice(-600)}` });
    });
  });
}
