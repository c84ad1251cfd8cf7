// fauxqs 1.9.2 (an in-memory S3 emulator, npm) for @om/datalake-s3's tests. Installed as a pinned
// dev dependency of plugins/datalake-s3 and resolved from there; started through
// fauxqs-launcher.mjs because fauxqs's CLI binds 0.0.0.0. fauxqs accepts any access key.
const fs = require('node:fs');
const path = require('node:path');
const { defineServer } = require('../server-process');

const pluginDir = path.join(__dirname, '..', '..', '..', 'plugins', 'datalake-s3');

/** The installed fauxqs package folder (its exports map hides package.json from require.resolve). */
function packageDir() {
  const dir = path.join(pluginDir, 'node_modules', 'fauxqs');
  if (!fs.existsSync(path.join(dir, 'package.json'))) {
    throw new Error(`fauxqs is not installed in ${pluginDir}: run pnpm install`);
  }
  return fs.realpathSync(dir);
}

module.exports = defineServer('fauxqs', async () => ({
  options: {
    script: path.join(__dirname, 'fauxqs-launcher.mjs'),
    env: (port) => ({ FAUXQS_DIR: packageDir(), PORT: String(port) }),
  },
  env: (port) => ({ OM_TEST_S3_ENDPOINT: `http://127.0.0.1:${port}` }),
}));
module.exports.packageDir = packageDir;
