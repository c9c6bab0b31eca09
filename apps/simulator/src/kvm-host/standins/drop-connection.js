'use strict';
// Asks the simulated host's SSH server to drop the connection the calling command runs on
// (HOSTNET_SIM_CONN, over the HOSTNET_SIM_CONTROL socket) and waits until it has. Used by the
// activation stand-in (dropConnectionDuringApply; env = the calling command's) and, run as a command,
// by the fault gates.
const net = require('node:net');

function dropConnection(env = process.env) {
  const control = env.HOSTNET_SIM_CONTROL;
  const conn = env.HOSTNET_SIM_CONN;
  if (!control || !conn) return Promise.resolve();
  return new Promise((resolve) => {
    const socket = net.createConnection(`\0${control}`);
    const done = () => {
      socket.destroy();
      resolve();
    };
    socket.setTimeout(2000, done);
    socket.on('error', done);
    socket.on('data', done);
    socket.on('connect', () => socket.write(`${JSON.stringify({ op: 'drop', conn })}\n`));
  });
}

module.exports = { dropConnection };

if (require.main === module) void dropConnection();
