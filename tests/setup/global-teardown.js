const { stopServers } = require('./servers.js');
module.exports = async () => {
  await stopServers();
};
