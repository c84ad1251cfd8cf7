// Shared by the test-server modules in ./servers and by bench/: start a server as a child process
// on a free 127.0.0.1 port, wait until it accepts connections, stop it (SIGTERM, then SIGKILL).
const { spawn } = require('node:child_process');
const net = require('node:net');

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

/**
 * Spawns `node [...nodeArgs] <script> ...args` and resolves once `port` accepts connections. `args` and `env`
 * may be functions of the port. The returned handle's stop() ends the process.
 */
async function startServerProcess({ name, script, args = [], nodeArgs = [], env = {}, cwd, port, timeoutMs = 30000, onSpawn }) {
  const chosen = port ?? (await freePort());
  const resolvedArgs = typeof args === 'function' ? args(chosen) : args;
  const resolvedEnv = typeof env === 'function' ? env(chosen) : env;
  let output = '';
  const child = spawn(process.execPath, [...nodeArgs, script, ...resolvedArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(cwd ? { cwd } : {}),
    env: { ...process.env, ...resolvedEnv },
  });
  onSpawn?.(child);
  // Keep the tail only: it is for error messages, and a server may log a lot.
  child.stdout.on('data', (d) => (output = (output + d).slice(-4000)));
  child.stderr.on('data', (d) => (output = (output + d).slice(-4000)));
  let exited;
  child.once('exit', (code, signal) => (exited = `exited with ${code ?? signal}`));
  const deadline = Date.now() + timeoutMs;
  while (!(await accepts(chosen))) {
    if (exited) throw new Error(`${name} ${exited}: ${output.trim()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not accept connections on 127.0.0.1:${chosen} within ${timeoutMs / 1000} s: ${output.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port: chosen,
    child,
    stop() {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      });
    },
  };
}

/** A server module for ./servers: `{name, start, stop}` around startServerProcess. */
function defineServer(name, launch) {
  let handle;
  return {
    name,
    async start() {
      const { options, env } = await launch();
      handle = await startServerProcess({ name, ...options });
      return { env: env(handle.port) };
    },
    async stop() {
      const h = handle;
      handle = undefined;
      if (h) await h.stop();
    },
  };
}

module.exports = { freePort, accepts, startServerProcess, defineServer };
