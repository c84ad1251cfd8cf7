// Starts the Cloud Storage for Firebase emulator (firebase-tools, pure Node) bound to 127.0.0.1,
// without the Java rules runtime (`firebase emulators:start` needs Java 21 and a download). Only the
// GCS JSON API is used, which checks no rules. Internal modules: firebase-tools is pinned (15.34.2).
// FIREBASE_TOOLS_DIR: the installed package; PORT: the port; GCS_EMULATOR_PROJECT: the project id.
const path = require('node:path');

const dir = process.env.FIREBASE_TOOLS_DIR;
if (!dir) throw new Error('FIREBASE_TOOLS_DIR is not set');
const { StorageEmulator } = require(path.join(dir, 'lib', 'emulator', 'storage'));
const { createApp } = require(path.join(dir, 'lib', 'emulator', 'storage', 'server'));
const { EmulatorRegistry } = require(path.join(dir, 'lib', 'emulator', 'registry'));

const port = Number(process.env.PORT || 9199);
const projectId = process.env.GCS_EMULATOR_PROJECT || 'demo-om';

(async () => {
  const emulator = new StorageEmulator({ projectId, host: '127.0.0.1', port, rules: { name: 'none', content: '' }, auto_download: false });
  // Without this registration every request fails with "Cannot determine host and port of storage".
  EmulatorRegistry.set('storage', emulator);
  const app = await createApp(projectId, emulator);
  const server = app.listen(port, '127.0.0.1', () => console.log(`gcs emulator listening on 127.0.0.1:${port}`));
  const shutdown = () => {
    server.close();
    server.closeAllConnections?.();
    process.exit(0);
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
