// azurite 3.35.0 (Microsoft's Azure Storage emulator, npm; 3.37 needs Node 22) for
// @om/datalake-azure's tests: the Blob service only, in memory, on 127.0.0.1. Installed as a pinned
// dev dependency of plugins/datalake-azure and resolved from there. `--skipApiVersionCheck` is
// required: @azure/storage-blob 12.32 sends an API version azurite 3.35 does not know.
// azurite checks shared-key signatures, so a wrong account key is rejected (403).
const { spawn } = require('node:child_process');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const pluginDir = path.join(__dirname, '..', '..', '..', 'plugins', 'datalake-azure');
// azurite's well-known development account (public, documented by Microsoft; not a secret).
const ACCOUNT = 'devstoreaccount1';
const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
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

async function start() {
  const pkgDir = path.dirname(require.resolve('azurite/package.json', { paths: [pluginDir] }));
  const main = path.join(pkgDir, 'dist', 'src', 'blob', 'main.js');
  const port = await freePort();
  let output = '';
  child = spawn(
    process.execPath,
    [main, '--blobHost', '127.0.0.1', '--blobPort', String(port), '--inMemoryPersistence', '--disableTelemetry', '--silent', '--skipApiVersionCheck'],
    // In memory, but run it from the temp folder so no stray file lands in the checkout.
    { stdio: ['ignore', 'pipe', 'pipe'], cwd: os.tmpdir() },
  );
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  let exited;
  child.once('exit', (code, signal) => (exited = `exited with ${code ?? signal}`));
  const deadline = Date.now() + 30000;
  while (!(await accepts(port))) {
    if (exited) throw new Error(`azurite ${exited}: ${output.trim()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`azurite did not accept connections on 127.0.0.1:${port} within 30 s: ${output.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const endpoint = `http://127.0.0.1:${port}/${ACCOUNT}`;
  return {
    env: {
      OM_TEST_AZURE_BLOB_ENDPOINT: endpoint,
      OM_TEST_AZURE_ACCOUNT_NAME: ACCOUNT,
      OM_TEST_AZURE_ACCOUNT_KEY: KEY,
      OM_TEST_AZURE_CONNECTION_STRING: `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${KEY};BlobEndpoint=${endpoint};`,
    },
  };
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

module.exports = { name: 'azurite', start, stop };
