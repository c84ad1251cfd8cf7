// The Cloud Storage for Firebase emulator from firebase-tools 15.34.2 (pure Node; GCS JSON API) for
// @om/datalake-gcs's tests. Installed as a pinned dev dependency of plugins/datalake-gcs and started
// through gcs-emulator-launcher.cjs without Java. Buckets are created implicitly by uploads.
// Clients reach it with STORAGE_EMULATOR_HOST=$OM_TEST_GCS_ENDPOINT (set inside the tests).
// Its GCS API does not check credentials (admin access only).
const os = require('node:os');
const path = require('node:path');
const { defineServer } = require('../server-process');

const pluginDir = path.join(__dirname, '..', '..', '..', 'plugins', 'datalake-gcs');

function packageDir() {
  return path.dirname(require.resolve('firebase-tools/package.json', { paths: [pluginDir] }));
}

module.exports = defineServer('gcs-emulator', async () => ({
  options: {
    script: path.join(__dirname, 'gcs-emulator-launcher.cjs'),
    cwd: os.tmpdir(),
    env: (port) => ({ FIREBASE_TOOLS_DIR: packageDir(), PORT: String(port), GCS_EMULATOR_PROJECT: 'demo-om' }),
  },
  env: (port) => ({ OM_TEST_GCS_ENDPOINT: `http://127.0.0.1:${port}`, OM_TEST_GCS_PROJECT: 'demo-om' }),
}));
