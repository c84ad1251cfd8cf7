// Starts the servers the tests need (added by the packages that need them) on 127.0.0.1.
const { startServers } = require('./servers.js');
module.exports = async () => {
  await startServers();
};
