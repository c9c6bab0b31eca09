'use strict';
// Stand-in for `ping -c1 -W1 <ip>`: answers iff <ip> is the gateway of an active route in live state.
const { activeRoutes } = require('./ip-render');

/** The stand-in: (host helpers, argv, io) → exit code (see tool-runner.js). */
function ping(s, args, io) {
  const withValue = new Set(['-c', '-W', '-w', '-i', '-I', '-s', '-t']);
  const targets = args.filter((a, i) => !a.startsWith('-') && !withValue.has(args[i - 1]));
  const target = targets[targets.length - 1];
  if (!target) s.fail('ping: usage error: Destination address required', 2);
  const answers = activeRoutes(s.readState()).some((r) => r.via === target);
  io.out(`PING ${target} (${target}) 56(84) bytes of data.\n`);
  if (answers) io.out(`64 bytes from ${target}: icmp_seq=1 ttl=64 time=0.210 ms\n\n--- ${target} ping statistics ---\n1 packets transmitted, 1 received, 0% packet loss, time 0ms\n`);
  else io.out(`\n--- ${target} ping statistics ---\n1 packets transmitted, 0 received, 100% packet loss, time 0ms\n`);
  return answers ? 0 : 1;
}

module.exports = { ping };

if (require.main === module) require('./cli').runCli(ping);
