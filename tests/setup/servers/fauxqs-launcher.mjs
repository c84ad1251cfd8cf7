// Starts fauxqs (an in-memory S3/SQS/SNS emulator) bound to 127.0.0.1. fauxqs's own CLI binds
// 0.0.0.0, so its library entry is used instead. FAUXQS_DIR: the installed package; PORT: the port.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = process.env.FAUXQS_DIR;
if (!dir) throw new Error('FAUXQS_DIR is not set');
const { buildApp } = await import(pathToFileURL(path.join(dir, 'dist', 'app.js')).href);
const app = buildApp({ logger: false });
const port = Number(process.env.PORT ?? 4566);
await app.listen({ port, host: '127.0.0.1' });
console.log(`fauxqs listening on 127.0.0.1:${port}`);
const shutdown = () => {
  app.close().finally(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
