// fauxqs 1.9.2 (an in-memory S3 emulator, npm) for @om/datalake-s3's tests. Installed as a pinned
// dev dependency of plugins/datalake-s3 and resolved from there; started through
// fauxqs-launcher.mjs because fauxqs's CLI binds 0.0.0.0. fauxqs accepts any access key.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const pluginDir = path.join(__dirname, '..', '..', '..', 'plugins', 'datalake-s3');
let child;

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function accepts(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The installed fauxqs package folder (its exports map hides package.json from require.resolve). */
function packageDir() {
  const dir = path.join(pluginDir, 'node_modules', 'fauxqs');
  if (!fs.existsSync(path.join(dir, 'package.json'))) {
    throw new Error(`fauxqs is not installed in ${pluginDir}: run pnpm install`);
  }
  return fs.realpathSync(dir);
}

async function start() {
  const port = await freePort();
  let output = '';
  child = spawn(process.execPath, [path.join(__dirname, 'fauxqs-launcher.mjs')], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FAUXQS_DIR: packageDir(), PORT: String(port) },
  });
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  let exited;
  child.once('exit', (code, signal) => (exited = `exited with ${code ?? signal}`));
  const deadline = Date.now() + 30000;
  while (!(await accepts(port))) {
    if (exited) throw new Error(`fauxqs ${exited}: ${output.trim()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`fauxqs did not accept connections on 127.0.0.1:${port} within 30 s: ${output.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { env: { OM_TEST_S3_ENDPOINT: `http://127.0.0.1:${port}` } };
}

async function stop() {
  const proc = child;
  child = undefined;
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  await new Promise((resolve) => {
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    proc.kill('SIGTERM');
  });
}

module.exports = { name: 'fauxqs', start, stop };
