'use strict';
// Stand-in for `ping -c1 -W1 <ip>`: answers iff <ip> is the gateway of an active route in live state.
const s = require('./sim-state');
const { activeRoutes } = require('./ip-render');

s.run(() => {
  const args = process.argv.slice(2);
  const withValue = new Set(['-c', '-W', '-w', '-i', '-I', '-s', '-t']);
  const targets = args.filter((a, i) => !a.startsWith('-') && !withValue.has(args[i - 1]));
  const target = targets[targets.length - 1];
  if (!target) s.fail('ping: usage error: Destination address required', 2);
  const answers = activeRoutes(s.readState()).some((r) => r.via === target);
  process.stdout.write(`PING ${target} (${target}) 56(84) bytes of data.\n`);
  if (answers) process.stdout.write(`64 bytes from ${target}: icmp_seq=1 ttl=64 time=0.210 ms\n\n--- ${target} ping statistics ---\n1 packets transmitted, 1 received, 0% packet loss, time 0ms\n`);
  else process.stdout.write(`\n--- ${target} ping statistics ---\n1 packets transmitted, 0 received, 100% packet loss, time 0ms\n`);
  return answers ? 0 : 1;
});
