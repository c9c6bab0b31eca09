'use strict';
// Runs a stand-in tool as a node process (`node .sim/lib/ip.js ARGS`), bound to the host whose .sim/lib
// holds this file. The simulated hosts' own commands go through the stand-in server instead (client.bash).
const path = require('node:path');
const { forHost } = require('./sim-host');
const { invoke } = require('./tool-runner');
const { dropConnection } = require('./drop-connection');

function runCli(tool, argv = process.argv.slice(2)) {
  const host = forHost(path.dirname(__dirname));
  const io = {
    env: process.env,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    dropConnection: () => dropConnection(process.env),
  };
  void invoke(tool, host, argv, io).then(({ code, stdout, stderr }) => {
    process.stdout.write(stdout);
    process.stderr.write(stderr);
    process.exitCode = code;
  });
}

module.exports = { runCli };
