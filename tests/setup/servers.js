// Starts the real servers the tests need on 127.0.0.1 and publishes their addresses through
// environment variables (inherited by Jest workers). Each server lives in its own module under
// ./servers/ exporting { name, start(): Promise<{env}>, stop(): Promise<void> }.
// Set OM_TEST_SERVERS=none (or a comma list of names) to start fewer.
const fs = require('node:fs');
const path = require('node:path');

const dir = path.join(__dirname, 'servers');
const started = [];

function selected() {
  const all = fs.existsSync(dir)
    ? fs.readdirSync(dir).filter((f) => f.endsWith('.js')).sort().map((f) => require(path.join(dir, f)))
    : [];
  const wanted = process.env.OM_TEST_SERVERS;
  if (!wanted) return all;
  if (wanted === 'none') return [];
  const names = new Set(wanted.split(',').map((s) => s.trim()));
  return all.filter((s) => names.has(s.name));
}

async function startServers() {
  const servers = selected();
  await Promise.all(
    servers.map(async (server) => {
      const t0 = Date.now();
      const { env } = await server.start();
      Object.assign(process.env, env);
      started.push(server);
      if (process.env.OM_TEST_VERBOSE) console.log(`[test-servers] ${server.name} up in ${Date.now() - t0} ms`, env);
    }),
  );
}

async function stopServers() {
  await Promise.all(started.splice(0).map((s) => s.stop().catch(() => undefined)));
}

module.exports = { startServers, stopServers };
