// The Cloud Storage for Firebase emulator from firebase-tools 15.34.2 (pure Node; GCS JSON API) for
// @om/datalake-gcs's tests. Installed as a pinned dev dependency of plugins/datalake-gcs and started
// through gcs-emulator-launcher.cjs without Java. Buckets are created implicitly by uploads.
// Clients reach it with STORAGE_EMULATOR_HOST=$OM_TEST_GCS_ENDPOINT (set inside the tests).
// Its GCS API does not check credentials (admin access only).
const { spawn } = require('node:child_process');
const os = require('node:os');
const net = require('node:net');
const path = require('node:path');

const pluginDir = path.join(__dirname, '..', '..', '..', 'plugins', 'datalake-gcs');
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

function packageDir() {
  return path.dirname(require.resolve('firebase-tools/package.json', { paths: [pluginDir] }));
}

async function start() {
  const port = await freePort();
  let output = '';
  child = spawn(process.execPath, [path.join(__dirname, 'gcs-emulator-launcher.cjs')], {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: os.tmpdir(),
    env: { ...process.env, FIREBASE_TOOLS_DIR: packageDir(), PORT: String(port), GCS_EMULATOR_PROJECT: 'demo-om' },
  });
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  let exited;
  child.once('exit', (code, signal) => (exited = `exited with ${code ?? signal}`));
  const deadline = Date.now() + 30000;
  while (!(await accepts(port))) {
    if (exited) throw new Error(`gcs emulator ${exited}: ${output.trim()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`gcs emulator did not accept connections on 127.0.0.1:${port} within 30 s: ${output.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { env: { OM_TEST_GCS_ENDPOINT: `http://127.0.0.1:${port}`, OM_TEST_GCS_PROJECT: 'demo-om' } };
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

module.exports = { name: 'gcs-emulator', start, stop };
