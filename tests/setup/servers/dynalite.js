// dynalite 4.0.0 (a DynamoDB implementation on LevelDB, in memory here) for @om/dynamodb's tests.
// Installed as a pinned dev dependency of plugins/dynamodb and resolved from there.
const { spawn } = require('node:child_process');
const net = require('node:net');
const path = require('node:path');

const pluginDir = path.join(__dirname, '..', '..', '..', 'plugins', 'dynamodb');
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
  const cli = path.join(path.dirname(require.resolve('dynalite/package.json', { paths: [pluginDir] })), 'cli.js');
  const port = await freePort();
  let output = '';
  child = spawn(
    process.execPath,
    [cli, '--host', '127.0.0.1', '--port', String(port), '--createTableMs', '0', '--deleteTableMs', '0', '--updateTableMs', '0'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  let exited;
  child.once('exit', (code, signal) => (exited = `exited with ${code ?? signal}`));
  const deadline = Date.now() + 30000;
  while (!(await accepts(port))) {
    if (exited) throw new Error(`dynalite ${exited}: ${output.trim()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`dynalite did not accept connections on 127.0.0.1:${port} within 30 s: ${output.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { env: { OM_TEST_DYNAMODB_ENDPOINT: `http://127.0.0.1:${port}` } };
}

async function stop() {
  const proc = child;
  child = undefined;
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  await new Promise((resolve) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
    }, 5000);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    proc.kill('SIGTERM');
  });
}

module.exports = { name: 'dynalite', start, stop };
