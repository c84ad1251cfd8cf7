// dynalite 4.0.0 (a DynamoDB implementation on LevelDB, in memory here) for @om/dynamodb's tests.
// Installed as a pinned dev dependency of plugins/dynamodb and resolved from there.
const path = require('node:path');
const { defineServer } = require('../server-process');

const pluginDir = path.join(__dirname, '..', '..', '..', 'plugins', 'dynamodb');

module.exports = defineServer('dynalite', async () => ({
  options: {
    script: path.join(path.dirname(require.resolve('dynalite/package.json', { paths: [pluginDir] })), 'cli.js'),
    args: (port) => ['--host', '127.0.0.1', '--port', String(port), '--createTableMs', '0', '--deleteTableMs', '0', '--updateTableMs', '0'],
  },
  env: (port) => ({ OM_TEST_DYNAMODB_ENDPOINT: `http://127.0.0.1:${port}` }),
}));
