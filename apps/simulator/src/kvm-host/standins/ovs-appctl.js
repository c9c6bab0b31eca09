'use strict';
// Stand-in for `ovs-appctl bond/show [BOND]`: a minimal rendering of OVS bonds from live state.

/** The stand-in: (host helpers, argv, io) → exit code (see tool-runner.js). */
function ovsAppctl(s, argv, io) {
  const [cmd, name] = argv.filter((w) => !w.startsWith('-'));
  if (cmd !== 'bond/show') s.fail(`"${cmd}" is not a valid command (the simulator supports bond/show)`, 2);
  const bonds = s.readState().links.filter((l) => l.kind === 'ovs-bond' && (!name || l.name === name));
  if (name && bonds.length === 0) s.fail('no such bond\novs-appctl: ovs-vswitchd: server returned an error', 2);
  const text = bonds.map((b) => {
    const members = b.members || [];
    return [`---- ${b.name} ----`, `bond_mode: ${b.mode || 'active-backup'}`, 'bond may use recirculation: no, Recirc-ID : -1', 'bond-hash-basis: 0', 'lb_output action: disabled, bond-id: -1', 'updelay: 0 ms', 'downdelay: 0 ms', 'lacp_status: off', 'lacp_fallback_ab: false', `active-backup primary: <none>`, `active member mac: 52:54:00:00:00:00(${members[0] || 'none'})`, '', ...members.flatMap((m, i) => [`member ${m}: enabled`, ...(i === 0 ? ['  active member'] : []), '  may_enable: true', ''])].join('\n');
  });
  io.out(text.join('\n'));
}

module.exports = { ovsAppctl };

if (require.main === module) require('./cli').runCli(ovsAppctl);
