// Runs bench/lib/child.mjs in a fresh Node process (bounded by a timeout) and returns its JSON result.
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { BENCH } from './env.mjs';
import { track } from './servers.mjs';

export function runChild(args, { timeoutMs = 30 * 60 * 1000, nodeArgs = [] } = {}) {
  return new Promise((resolve, reject) => {
    const child = track(
      spawn(process.execPath, ['--no-warnings', ...nodeArgs, path.join(BENCH, 'lib/child.mjs'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] }),
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out = (out + d).slice(-20000)));
    child.stderr.on('data', (d) => (err = (err + d).slice(-4000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop();
      if (code === 0 && last?.startsWith('{')) return resolve(JSON.parse(last));
      reject(new Error(`child ${args[0]} ${code === null ? `killed by ${signal}` : `exited with ${code}`}: ${err.trim().slice(-1500)}`));
    });
  });
}
