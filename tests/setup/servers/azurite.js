// azurite 3.35.0 (Microsoft's Azure Storage emulator, npm; 3.37 needs Node 22) for
// @om/datalake-azure's tests: the Blob service only, in memory, on 127.0.0.1. Installed as a pinned
// dev dependency of plugins/datalake-azure and resolved from there. `--skipApiVersionCheck` is
// required: @azure/storage-blob 12.32 sends an API version azurite 3.35 does not know.
// azurite checks shared-key signatures, so a wrong account key is rejected (403).
const os = require('node:os');
const path = require('node:path');
const { defineServer } = require('../server-process');

const pluginDir = path.join(__dirname, '..', '..', '..', 'plugins', 'datalake-azure');
// azurite's well-known development account (public, documented by Microsoft; not a secret).
const ACCOUNT = 'devstoreaccount1';
const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

module.exports = defineServer('azurite', async () => ({
  options: {
    script: path.join(path.dirname(require.resolve('azurite/package.json', { paths: [pluginDir] })), 'dist', 'src', 'blob', 'main.js'),
    args: (port) => ['--blobHost', '127.0.0.1', '--blobPort', String(port), '--inMemoryPersistence', '--disableTelemetry', '--silent', '--skipApiVersionCheck'],
    // In memory, but run it from the temp folder so no stray file lands in the checkout.
    cwd: os.tmpdir(),
  },
  env: (port) => {
    const endpoint = `http://127.0.0.1:${port}/${ACCOUNT}`;
    return {
      OM_TEST_AZURE_BLOB_ENDPOINT: endpoint,
      OM_TEST_AZURE_ACCOUNT_NAME: ACCOUNT,
      OM_TEST_AZURE_ACCOUNT_KEY: KEY,
      OM_TEST_AZURE_CONNECTION_STRING: `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${KEY};BlobEndpoint=${endpoint};`,
    };
  },
}));
