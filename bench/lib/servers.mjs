// Servers the bench starts on 127.0.0.1: fauxqs (S3 emulator, child process), an HTTP counting proxy
// in front of it, and the OpenMetadata API test server (in-process). Every child is registered for
// clean-up on exit.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { ROOT, fauxqsDir } from './env.mjs';

const children = new Set();

/** Registers a child process so that it is killed when the bench exits (normally or not). */
export function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export function killChildren() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
}
process.once('exit', killChildren);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    killChildren();
    process.exit(130);
  });
}

const require = createRequire(import.meta.url);
// One implementation of "start a server process and wait for its port", shared with the tests.
const { freePort: sharedFreePort, startServerProcess } = require(path.join(ROOT, 'tests/setup/server-process.js'));

export const freePort = sharedFreePort;

/** Starts fauxqs through the repository's launcher (binds 127.0.0.1). Returns {endpoint, pid, stop}. */
export async function startFauxqs() {
  const handle = await startServerProcess({
    name: 'fauxqs',
    script: path.join(ROOT, 'tests/setup/servers/fauxqs-launcher.mjs'),
    // Large bench objects live in fauxqs's memory.
    nodeArgs: ['--max-old-space-size=8192'],
    env: (port) => ({ FAUXQS_DIR: fauxqsDir(), PORT: String(port) }),
    onSpawn: track,
  });
  return { endpoint: `http://127.0.0.1:${handle.port}`, port: handle.port, pid: handle.child.pid, stop: () => handle.stop() };
}

/**
 * dynalite through the tests' own server module (tests/setup/servers/dynalite.js: same pinned
 * version, flags and 127.0.0.1 binding). Returns {endpoint, env, stop}.
 */
export async function startDynalite() {
  const server = require(path.join(ROOT, 'tests/setup/servers/dynalite.js'));
  const { env } = await server.start();
  // Published as tests/setup does: the plugin's test helpers read the endpoint from the environment.
  Object.assign(process.env, env);
  // The module keeps its child to itself; its stop() signals it synchronously, so it works on exit too.
  const stopOnExit = () => void server.stop();
  process.once('exit', stopOnExit);
  return {
    endpoint: env.OM_TEST_DYNAMODB_ENDPOINT,
    env,
    stop: async () => {
      process.off('exit', stopOnExit);
      for (const k of Object.keys(env)) delete process.env[k];
      await server.stop();
    },
  };
}

/**
 * A forwarding HTTP proxy on 127.0.0.1 that counts requests (by method) and response body bytes:
 * the wire-level view of what a store asks S3 for. `latencyMs` delays every request (a network round
 * trip that loopback does not have).
 */
export async function startCountingProxy(targetPort, { latencyMs = 0 } = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const counters = { requests: 0, byMethod: {}, responseBytes: 0, ranges: [], objectReads: 0, keysRead: new Set() };
  const server = http.createServer((req, res) => {
    counters.requests++;
    counters.byMethod[req.method] = (counters.byMethod[req.method] ?? 0) + 1;
    // Path-style requests: `/bucket/key` reads an object; `/bucket?list-type=2` lists.
    const [pathname, query = ''] = req.url.split('?');
    if ((req.method === 'GET' || req.method === 'HEAD') && pathname.indexOf('/', 1) > 0 && !query.includes('list-type')) {
      counters.objectReads++;
      if (counters.keysRead.size < 10000) counters.keysRead.add(pathname);
    }
    if (req.headers.range && counters.ranges.length < 50) counters.ranges.push(req.headers.range);
    if (latencyMs > 0) req.pause();
    const forward = () => {
    const upstream = http.request(
      { host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: req.headers, agent },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.on('data', (chunk) => (counters.responseBytes += chunk.length));
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
    req.resume();
    };
    if (latencyMs > 0) setTimeout(forward, latencyMs);
    else forward();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counters,
    reset() {
      Object.assign(counters, { requests: 0, byMethod: {}, responseBytes: 0, ranges: [], objectReads: 0, keysRead: new Set() });
    },
    close: () =>
      new Promise((resolve) => {
        agent.destroy();
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/**
 * The OpenMetadata API test server, from its compiled form under tests/dist (compiled here with the
 * tests' own tsconfig when missing or older than its sources).
 */
export async function startOmServer(options) {
  const srcDir = path.join(ROOT, 'tests/om-api-server');
  const distDir = path.join(ROOT, 'tests/dist/om-api-server');
  const entry = path.join(distDir, 'index.js');
  const newest = (dir, ext) =>
    fs.existsSync(dir) ? Math.max(0, ...fs.readdirSync(dir).filter((f) => f.endsWith(ext) && !f.endsWith('.test.ts')).map((f) => fs.statSync(path.join(dir, f)).mtimeMs)) : 0;
  if (!fs.existsSync(entry) || newest(srcDir, '.ts') > newest(distDir, '.js')) {
    const tsc = createRequire(path.join(ROOT, 'package.json')).resolve('typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-p', path.join(srcDir, 'tsconfig.json')], { cwd: path.join(ROOT, 'tests'), stdio: 'pipe' });
  }
  const mod = createRequire(import.meta.url)(entry);
  return mod.startOmApiServer(options);
}
