/**
 * Starts the OpenMetadata API test server on a port:
 *   node tests/dist/om-api-server/cli.js [--port 8585] [--host 127.0.0.1] [--token T] [--version 1.6.2] [--latency-ms 0] [--quiet]
 * Environment: OM_API_PORT, OM_API_TOKEN. Stops on Ctrl-C / SIGTERM.
 */
import { startOmApiServer } from './server';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(
      'usage: om-api-server [--port 8585] [--host 127.0.0.1] [--token TOKEN] [--version 1.6.2] [--latency-ms N] [--quiet]\n',
    );
    return;
  }
  const quiet = process.argv.includes('--quiet');
  const server = await startOmApiServer({
    port: Number(arg('port') ?? process.env.OM_API_PORT ?? 8585),
    host: arg('host') ?? '127.0.0.1',
    token: arg('token') ?? process.env.OM_API_TOKEN,
    version: arg('version'),
    latencyMs: Number(arg('latency-ms') ?? 0),
    log: quiet ? undefined : (line) => process.stdout.write(`${line}\n`),
  });
  process.stdout.write(
    `OpenMetadata API test server listening: hostPort ${server.hostPort} ` +
      `(auth: ${server.token === undefined ? 'none, use authProvider: no-auth' : 'bearer token required'})\n`,
  );
  const stop = (): void => {
    server.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
});
