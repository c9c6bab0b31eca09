'use strict';
// Stand-in for sudo: records its argv as one JSON line in .sim/sudo.log, then runs the command as is
// (everything already runs as the simulator's user). Understands -n, -E, -H, -u USER and `--`.
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');
const s = require('./sim-state');

s.run(() => {
  const argv = process.argv.slice(2);
  fs.appendFileSync(s.sim('sudo.log'), `${JSON.stringify(argv)}\n`);
  let i = 0;
  while (i < argv.length && argv[i].startsWith('-')) {
    if (argv[i] === '--') {
      i += 1;
      break;
    }
    i += argv[i] === '-u' ? 2 : 1;
  }
  const command = argv.slice(i);
  if (command.length === 0) s.fail('usage: sudo -n command', 1);
  const result = spawnSync(command[0], command.slice(1), { stdio: 'inherit' });
  if (result.error) s.fail(`sudo: ${command[0]}: command not found`, 1);
  return result.status === null ? 128 + 9 : result.status;
});
