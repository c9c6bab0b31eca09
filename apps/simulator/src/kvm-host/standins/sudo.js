'use strict';
// Stand-in for sudo, the server's half: records argv as one JSON line in .sim/sudo.log and answers where
// the command starts in argv (options -n, -E, -H, -u USER and `--` skipped). The client (sudo.bash) then
// runs the command as is: everything already runs as the simulator's user.
const fs = require('node:fs');

/** The stand-in: (host helpers, argv, io) → exit code (see tool-runner.js). */
function sudo(s, argv, io) {
  fs.appendFileSync(s.sim('sudo.log'), `${JSON.stringify(argv)}\n`);
  let i = 0;
  while (i < argv.length && argv[i].startsWith('-')) {
    if (argv[i] === '--') {
      i += 1;
      break;
    }
    i += argv[i] === '-u' ? 2 : 1;
  }
  if (argv.length <= i) s.fail('usage: sudo -n command', 1);
  io.out(String(i));
}

module.exports = { sudo };
