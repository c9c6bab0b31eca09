'use strict';
// Stand-in for iproute2's `ip`, answering from .sim/live-state.json in iproute2's own JSON shape:
//   ip [-j] [-d] [-4|-6] link|addr|route [show|list] [dev] [NAME]   (route: [default] [dev NAME])
//   ip [-4|-6] addr|route flush dev NAME
//   ip link set [dev] NAME [master BR|nomaster] [up|down] [mtu N] [type bond|bridge KEY VALUE…] ; ip link del [dev] NAME ; ip addr add|del CIDR dev NAME ; ip route add|replace|del TO [via GW] dev NAME
//   ip link add [name] NAME [mtu N] type bridge [stp_state N] [forward_delay N] | type bond [mode M] [miimon N] | type veth peer name PEER [mtu N]
// The common whole-host JSON forms are usually answered by the wrapper from .sim/ip-cache (see ip.sh).
//   ip -V ; on a persona whose ip has no JSON (CentOS 7's iproute2 4.11): -j refused, -o one-line text
const { netdevs, shapeLink, addrInfo, routes, legacyIp, ipVersion, textLinks, textAddrs, textRoutes } = require('./ip-render');

/** The stand-in: (host helpers, argv, io) → exit code (see tool-runner.js). */
function ip(s, args, io) {
  const argv = [...args];
  const persona = s.readConfig().persona;
  const opts = { json: false, details: false, family: undefined, oneline: false, legacy: legacyIp(persona) };
  while (argv[0] && argv[0].startsWith('-')) {
    const word = argv.shift();
    const flag = word.replace(/^--?/, '');
    if (['V', 'Version'].includes(flag)) return io.out(`${ipVersion(persona)}\n`);
    if (['j', 'json'].includes(flag) && opts.legacy) s.fail(`Option "${word}" is unknown, try "ip -help".`, 255);
    if (['j', 'json'].includes(flag)) opts.json = true;
    else if (['o', 'oneline'].includes(flag) && opts.legacy) opts.oneline = true;
    else if (['d', 'details'].includes(flag)) opts.details = true;
    else if (flag === '4') opts.family = 'inet';
    else if (flag === '6') opts.family = 'inet6';
    else if (['p', 'pretty', 's', 'stats', 'c', 'color', 'br', 'brief'].includes(flag)) continue;
    else s.fail(`Option "-${flag}" is unknown, try "ip -help".`, 255);
  }
  const object = OBJECTS[argv[0]];
  if (!object) s.fail(`Object "${argv[0] || ''}" is unknown, try "ip help".`, 255);
  const verb = argv[1] || 'show';
  if (object !== 'link' && 'flush'.startsWith(verb)) return flush(s, object, argv.slice(2));
  if (['show', 'list', 'ls', 'lst'].includes(verb) || argv.length === 1 || (object !== 'route' && !['set', 'add', 'del', 'delete', 'replace', 'change'].includes(verb))) return show(s, io, opts, object, argv.slice(1));
  if (object === 'route' && verb === 'default') return show(s, io, opts, object, argv.slice(1));
  const commandLine = ['ip', ...args].join(' ');
  if (s.consumeFailCommand(commandLine)) s.fail(`simulated failure: "${commandLine}" was set to fail by the failCommand fault`, 2);
  return mutate(s, object, verb, argv.slice(2));
}

const OBJECTS = { l: 'link', li: 'link', lin: 'link', link: 'link', a: 'addr', ad: 'addr', addr: 'addr', address: 'addr', r: 'route', ro: 'route', rou: 'route', route: 'route' };

function pickDev(rest) {
  const words = rest.filter((w) => !['show', 'list', 'ls', 'lst'].includes(w));
  const i = words.indexOf('dev');
  return i >= 0 ? words[i + 1] : words[0];
}

function show(s, io, opts, object, rest) {
  const print = (value, text) => io.out(opts.json ? `${JSON.stringify(value)}\n` : text(value));
  const state = s.readState();
  if (object === 'route') {
    let list = routes(state, opts);
    const words = rest.filter((w) => !['show', 'list', 'ls'].includes(w));
    const devIndex = words.indexOf('dev');
    if (devIndex >= 0) list = list.filter((r) => r.dev === words[devIndex + 1]);
    if (words.includes('default')) list = list.filter((r) => r.dst === 'default');
    if (opts.legacy) return io.out(textRoutes(list));
    return print(list, (l) => l.map((r) => `${r.dst}${r.gateway ? ` via ${r.gateway}` : ''} dev ${r.dev} proto ${r.protocol}${r.scope ? ` scope ${r.scope}` : ''}${r.prefsrc ? ` src ${r.prefsrc}` : ''}\n`).join(''));
  }
  let devs = netdevs(state);
  const master = valueOf(rest, 'master');
  if (opts.legacy && master !== undefined) {
    if (!devs.some((d) => d.ifname === master)) s.fail(`Device "${master}" does not exist.`, 1);
    devs = devs.filter((d) => d.master === master);
  }
  const name = opts.legacy && master !== undefined ? undefined : pickDev(rest);
  if (name) {
    devs = devs.filter((d) => d.ifname === name);
    if (devs.length === 0) s.fail(`Device "${name}" does not exist.`, 1);
  }
  if (opts.legacy) return io.out(object === 'addr' ? textAddrs(state, devs, opts) : textLinks(devs, opts));
  const shaped = devs.map((d) => (object === 'addr' ? { ...shapeLink(d, opts, true), addr_info: addrInfo(state, d, opts) } : shapeLink(d, opts, false)));
  print(shaped, (l) =>
    l.map((d) => `${d.ifindex}: ${d.ifname}${d.link ? `@${d.link}` : ''}: <${d.flags.join(',')}> mtu ${d.mtu}${d.master ? ` master ${d.master}` : ''} state ${d.operstate}\n    link/${d.link_type} ${d.address}\n${(d.addr_info || []).map((a) => `    ${a.family} ${a.local}/${a.prefixlen} scope ${a.scope}\n`).join('')}`).join(''),
  );
}

/**
 * `ip [-4|-6] addr|route flush dev NAME`: silent, as iproute2 is, and leaving the simulated state as it is:
 * a host's addresses and routes here are what its activations make of its files (activation.js), so an
 * interface a run only takes down keeps them. Removing them would break that model: apply() takes the state
 * before an activation for the one a reachable host had (loseManagementAfterApply), and a flush just before
 * an ifup would become that state.
 */
function flush(s, object, rest) {
  const name = pickDev(rest);
  if (!name) s.fail(object === 'route' ? '"ip route flush" requires arguments.' : 'Flush requires arguments.', 1);
  if (!netdevs(s.readState()).some((d) => d.ifname === name)) s.fail(object === 'route' ? `Cannot find device "${name}"` : `Device "${name}" does not exist.`, 1);
}

/** The word after `key` in a command's words, if any. */
const valueOf = (words, key) => (words.indexOf(key) >= 0 ? words[words.indexOf(key) + 1] : undefined);

/** `ip link add`: a bridge, or a veth pair (both ends, each naming the other as `peer`, as facts read them). */
function addLink(s, state, rest) {
  const typeIndex = rest.indexOf('type');
  const head = rest.slice(0, typeIndex);
  const name = valueOf(head, 'name') || head[0];
  const kind = rest[typeIndex + 1];
  if (!name || typeIndex < 0) s.fail('simulated ip: "link add" needs a name and a type', 2);
  const names = kind === 'veth' ? [name, valueOf(rest.slice(typeIndex), 'name')] : [name];
  if (names.some((n) => !n)) s.fail('simulated ip: "type veth" needs "peer name PEER"', 2);
  for (const n of names) if (state.links.some((l) => l.name === n)) s.fail('RTNETLINK answers: File exists', 2);
  const mtu = valueOf(head, 'mtu');
  const withMtu = mtu === undefined ? {} : { mtu: mtuOf(s, mtu) };
  if (kind === 'bridge') state.links.push({ name, kind: 'bridge', members: [], up: false, ...withMtu });
  else if (kind === 'bond') state.links.push({ name, kind: 'bond', members: [], up: false, ...withMtu, bond: bondOptions(s, rest.slice(typeIndex + 2)) });
  else if (kind === 'veth') state.links.push({ name, kind: 'nic', peer: names[1], up: false, ...withMtu }, { name: names[1], kind: 'nic', peer: name, up: false, ...withMtu });
  else s.fail(`simulated ip: "link add … type ${kind}" is not supported`, 2);
}

/** `type bond [mode M] [miimon N]` of a new bond (the driver's defaults otherwise: balance-rr, miimon 0). */
function bondOptions(s, words) {
  const mode = valueOf(words, 'mode') || 'balance-rr';
  const miimon = Number(valueOf(words, 'miimon') || 0);
  if (!Number.isInteger(miimon)) s.fail(`Error: argument "${valueOf(words, 'miimon')}" is wrong: invalid miimon`, 1);
  return { mode, miimon };
}

/** An MTU word as iproute2 takes it (the kernel's range for an Ethernet device). */
function mtuOf(s, word) {
  if (!/^\d+$/.test(word)) s.fail(`Error: argument "${word}" is wrong: Invalid MTU`, 1);
  const mtu = Number(word);
  if (mtu < 68 || mtu > 65535) s.fail('Error: mtu greater than device maximum.', 2);
  return mtu;
}

/**
 * `ip link set … mtu N`, as the kernel takes it: a VLAN interface never above its parent's MTU, and lowered
 * with it; a bond's members set with their bond; a bridge at the smallest MTU of its ports until one is set
 * on the bridge itself, which pins it there (`mtuPinned`).
 */
function setMtu(s, state, dev, word) {
  const mtu = mtuOf(s, word);
  const byName = new Map(state.links.map((l) => [l.name, l]));
  const link = byName.get(dev);
  const parent = link.kind === 'vlan' ? byName.get(link.parent) : undefined;
  if (parent && mtu > (parent.mtu || 1500)) s.fail('RTNETLINK answers: Numerical result out of range', 2);
  if (link.kind === 'bridge') link.mtuPinned = true;
  const changed = (l, value) => {
    l.mtu = value;
    if (l.kind === 'bond') for (const member of state.links) if (member.master === l.name) changed(member, value);
    for (const vlan of state.links) if (vlan.kind === 'vlan' && vlan.parent === l.name && (vlan.mtu || 1500) > value) changed(vlan, value);
    const bridge = byName.get(l.master);
    if (bridge && bridge.kind === 'bridge' && !bridge.mtuPinned) {
      const ports = state.links.filter((p) => p.master === bridge.name).map((p) => p.mtu || 1500);
      if (ports.length > 0 && Math.min(...ports) !== (bridge.mtu || 1500)) changed(bridge, Math.min(...ports));
    }
  };
  changed(link, mtu);
}

/** `ip link set … master BR | nomaster`: the link leaves its old master's ports and joins the new one's. */
function setMaster(s, state, dev, rest) {
  const master = valueOf(rest, 'master');
  if (master === undefined && !rest.includes('nomaster')) return;
  if (master !== undefined && !state.links.some((l) => l.name === master)) s.fail(`Cannot find device "${master}"`, 1);
  for (const link of state.links) {
    if (Array.isArray(link.members)) link.members = link.members.filter((m) => m !== dev);
    if (link.name === master) link.members = [...(link.members || []), dev].sort();
  }
  const link = state.links.find((l) => l.name === dev);
  if (master === undefined) delete link.master;
  else link.master = master;
}

/** `type bond KEY VALUE…` words as the bonding driver takes them: which need the bond down (and without slaves). */
const BOND_OPTIONS = { mode: { key: 'mode', down: true, noSlaves: true }, miimon: { key: 'miimon', number: true }, lacp_rate: { key: 'lacpRate', down: true }, xmit_hash_policy: { key: 'xmitHashPolicy' } };
const BRIDGE_OPTIONS = { stp_state: { key: 'stp', number: true }, forward_delay: { key: 'forwardDelay', number: true } };

/**
 * `ip link set … type bond|bridge KEY VALUE…`, with the kernel's refusals: a bond's mode only while it is down
 * with no slaves, its lacp_rate only while it is down; a bridge's forward_delay only within 2–30 s while STP is on
 * (probed on this machine's kernel: `forward_delay 0 stp_state 0` on an STP bridge is ERANGE, the delay set first).
 */
function setKindOptions(s, state, dev, rest) {
  const at = rest.indexOf('type');
  if (at < 0) return;
  const kind = rest[at + 1];
  const link = state.links.find((l) => l.name === dev);
  const table = kind === 'bond' ? BOND_OPTIONS : kind === 'bridge' ? BRIDGE_OPTIONS : undefined;
  if (!table) return; // a port's options (type bridge_slave learning …) change nothing the simulated state holds
  if (link.kind !== kind) s.fail(`simulated ip: "link set … type ${kind}" on a ${link.kind} is not supported`, 2);
  const words = rest.slice(at + 2);
  for (let i = 0; i < words.length; i += 2) {
    const option = table[words[i]];
    if (!option || words[i + 1] === undefined) s.fail(`simulated ip: "type ${kind} ${words[i]}" is not supported`, 2);
    const value = option.number ? Number(words[i + 1]) : words[i + 1];
    if (option.number && !Number.isInteger(value)) s.fail(`Error: argument "${words[i + 1]}" is wrong: invalid ${words[i]}`, 1);
    if (option.down && link.up !== false) s.fail('RTNETLINK answers: Device or resource busy', 2);
    if (option.noSlaves && state.links.some((l) => l.master === dev)) s.fail('RTNETLINK answers: Directory not empty', 2);
    const params = { ...(link[kind] || {}) };
    if (kind === 'bridge' && option.key === 'stp') {
      params.stp = value !== 0;
      // starting STP brings the forward delay into its range, as br_stp_start does
      if (params.stp) params.forwardDelay = Math.min(Math.max(params.forwardDelay === undefined ? 0 : params.forwardDelay, 200), 3000);
    }
    else if (kind === 'bridge' && params.stp && (value < 200 || value > 3000)) s.fail('RTNETLINK answers: Numerical result out of range', 2);
    else params[option.key] = value;
    link[kind] = params;
  }
}

function mutate(s, object, verb, rest) {
  s.withLock(() => {
    const state = s.readState();
    if (object === 'link' && verb === 'add') {
      addLink(s, state, rest);
      return s.writeState(state);
    }
    const devIndex = rest.indexOf('dev');
    const dev = devIndex >= 0 ? rest[devIndex + 1] : rest[0];
    const exists = (n) => state.links.some((l) => l.name === n);
    if (!exists(dev)) s.fail(`Cannot find device "${dev}"`, 1);
    if (object === 'link' && verb === 'set') {
      setMaster(s, state, dev, rest);
      setKindOptions(s, state, dev, rest);
      const mtu = valueOf(rest, 'mtu');
      if (mtu !== undefined) setMtu(s, state, dev, mtu);
      for (const link of state.links) if (link.name === dev) link.up = rest.includes('up') ? true : rest.includes('down') ? false : link.up;
    } else if (object === 'link' && (verb === 'del' || verb === 'delete')) {
      // As the kernel does: the device goes with its addresses and routes; its ports are released, its VLANs
      // and a veth's peer go too.
      const peers = state.links.filter((l) => l.name === dev && l.peer).map((l) => l.peer);
      const gone = new Set([dev, ...peers, ...state.links.filter((l) => l.parent === dev && l.kind === 'vlan').map((l) => l.name)]);
      state.links = state.links.filter((l) => !gone.has(l.name));
      for (const link of state.links) {
        if (gone.has(link.master)) delete link.master;
        if (Array.isArray(link.members)) link.members = link.members.filter((m) => !gone.has(m));
      }
      state.addresses = state.addresses.filter((a) => !gone.has(a.dev));
      state.routes = state.routes.filter((r) => !gone.has(r.dev));
    } else if (object === 'addr') {
      const [address, prefix] = rest[0].split('/');
      state.addresses = state.addresses.filter((a) => !(a.dev === dev && a.address === address));
      if (verb === 'add' || verb === 'replace') state.addresses.push({ dev, address, prefix: Number(prefix || 32) });
    } else if (object === 'route') {
      const to = rest[0];
      const viaIndex = rest.indexOf('via');
      state.routes = state.routes.filter((r) => r.to !== to);
      if (verb !== 'del' && verb !== 'delete') state.routes.push({ to, ...(viaIndex >= 0 ? { via: rest[viaIndex + 1] } : {}), dev });
    } else {
      s.fail(`simulated ip: "${object} ${verb}" is not supported`, 2);
    }
    s.writeState(state);
  });
}

module.exports = { ip };

if (require.main === module) require('./cli').runCli(ip);
