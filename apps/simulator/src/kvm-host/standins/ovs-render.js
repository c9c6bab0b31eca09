'use strict';
// The ovs-vsctl model over a LiveState (links of kind ovs-bridge, ovs-bond, ovs-fake-bridge): one command's
// words → its output lines, mutating the state as the real tool would. Also pre-renders the read-only
// queries the on-host scripts make (.sim/ovs-cache), which the ovs-vsctl wrapper serves with a `cat`.
const s = require('./sim-state');

const GLOBAL_WITH_VALUE = new Set(['-t', '--db', '--format', '-f', '--data', '-d', '--columns', '--timeout']);
const sorted = (list) => [...new Set(list)].sort();
const isBridge = (l) => l && (l.kind === 'ovs-bridge' || l.kind === 'ovs-fake-bridge');
// A patch port has no kernel link (the live state keeps it as a nic without `up`): it goes with its OVS port.
const ovsOnly = (l) => l && l.kind === 'nic' && l.up === undefined;

/** One command's words over `state`; `headings` false for `--no-headings` (a global option: before the first `--`). */
function runCommand(state, words, headings = false) {
  const flags = new Set();
  const rest = [];
  for (let i = 0; i < words.length; i += 1) {
    const w = words[i];
    if (GLOBAL_WITH_VALUE.has(w)) i += 1;
    else if (w.startsWith('-')) flags.add(w.split('=')[0]);
    else rest.push(w);
  }
  const [cmd, ...a] = rest;
  const find = (name) => state.links.find((l) => l.name === name);
  const ports = (br) => sorted([...((find(br) || {}).members || []), ...state.links.filter((l) => l.master === br).map((l) => l.name)]);
  const needBridge = (br) => {
    if (!isBridge(find(br))) s.fail(`ovs-vsctl: no bridge named ${br}`, 1);
    return find(br);
  };
  const portOwner = (port) => state.links.find((l) => isBridge(l) && ports(l.name).includes(port));
  const out = [];
  switch (cmd) {
    case undefined:
    case 'init':
      break;
    case 'list-br':
      out.push(...sorted(state.links.filter(isBridge).map((l) => l.name)));
      break;
    case 'br-exists':
      if (!isBridge(find(a[0]))) return { out, code: 2 };
      break;
    case 'list-ports':
      needBridge(a[0]);
      out.push(...ports(a[0]));
      break;
    case 'list-ifaces':
      needBridge(a[0]);
      for (const p of ports(a[0])) out.push(...((find(p) || {}).kind === 'ovs-bond' ? find(p).members || [] : [p]));
      out.sort();
      break;
    case 'port-to-br':
    case 'iface-to-br': {
      if (isBridge(find(a[0]))) {
        out.push(a[0]);
        break;
      }
      const bond = cmd === 'iface-to-br' ? state.links.find((l) => l.kind === 'ovs-bond' && (l.members || []).includes(a[0])) : undefined;
      const owner = portOwner(bond ? bond.name : a[0]);
      if (!owner) s.fail(`ovs-vsctl: no ${cmd === 'port-to-br' ? 'port' : 'interface'} named ${a[0]}`, 1);
      out.push(owner.name);
      break;
    }
    case 'list': {
      // Only the name, name,interfaces and _uuid,name columns of the rows the facts script reads (`-f csv list bridge|port|interface`),
      // as ovs-vsctl prints them, after their heading unless --no-headings. Asked for more columns, it prints the same:
      // the facts parser takes a table without the settings columns for settings it cannot know.
      const uuid = (name) => `00000000-0000-4000-8000-${Buffer.from(name).toString('hex').padStart(12, '0').slice(-12)}`;
      const portRows = [];
      for (const br of state.links.filter(isBridge)) {
        portRows.push([br.name, [br.name]]);
        for (const p of ports(br.name)) {
          const link = find(p);
          portRows.push([p, link && link.kind === 'ovs-bond' ? sorted(link.members || []) : [p]]);
        }
      }
      if (headings && (a[0] === 'bridge' || a[0] === 'port' || a[0] === 'interface')) out.push({ bridge: 'name', port: 'name,interfaces', interface: '_uuid,name' }[a[0]]);
      // a fake bridge has no Bridge row: it is its parent's port
      if (a[0] === 'bridge') out.push(...sorted(state.links.filter((l) => l.kind === 'ovs-bridge').map((l) => l.name)));
      else if (a[0] === 'port') for (const [name, ifaces] of portRows) out.push(`${name},${ifaces.length > 1 ? `"[${ifaces.map(uuid).join(', ')}]"` : `[${uuid(ifaces[0])}]`}`);
      else if (a[0] === 'interface') for (const name of sorted(portRows.flatMap(([, i]) => i))) out.push(`${uuid(name)},${name}`);
      else s.fail(`ovs-vsctl: the stand-in lists only bridge, port and interface, not ${a[0]}`, 1);
      break;
    }
    case 'br-to-parent':
      out.push(needBridge(a[0]).parent || a[0]);
      break;
    case 'br-to-vlan':
      out.push(String(needBridge(a[0]).vlanId || 0));
      break;
    case 'get': {
      const [table, record, column] = a;
      const link = find(record);
      if (!link && !portOwner(record)) s.fail(`ovs-vsctl: no row "${record}" in table ${table}`, 1);
      const tag = link && link.kind === 'ovs-fake-bridge' ? link.vlanId : link && link.vlanId;
      out.push(column === 'tag' && tag ? String(tag) : column === 'name' ? `"${record}"` : '[]');
      break;
    }
    case 'add-br': {
      const [br, parent, vlan] = a;
      if (find(br)) {
        if (!flags.has('--may-exist')) s.fail(`ovs-vsctl: cannot create a bridge named ${br} because a bridge named ${br} already exists`, 1);
        break;
      }
      if (parent) {
        needBridge(parent);
        state.links.push({ name: br, kind: 'ovs-fake-bridge', parent, vlanId: Number(vlan), up: true });
      } else state.links.push({ name: br, kind: 'ovs-bridge', members: [], up: true });
      break;
    }
    case 'add-port': {
      const [br, port] = a;
      needBridge(br);
      if (portOwner(port)) {
        if (!flags.has('--may-exist')) s.fail(`ovs-vsctl: cannot create a port named ${port} because a port named ${port} already exists on bridge ${portOwner(port).name}`, 1);
        break;
      }
      const bridge = find(br);
      bridge.members = sorted([...(bridge.members || []), port]);
      if (find(port)) find(port).master = br;
      break;
    }
    case 'add-bond': {
      const [br, bond, ...rest2] = a;
      needBridge(br);
      const ifaces = rest2.filter((w) => !w.includes('='));
      if (portOwner(bond)) {
        if (!flags.has('--may-exist')) s.fail(`ovs-vsctl: cannot create a port named ${bond} because a port named ${bond} already exists on bridge ${portOwner(bond).name}`, 1);
        break;
      }
      if (ifaces.length < 2) s.fail('ovs-vsctl: add-bond requires at least 2 interfaces', 1);
      state.links.push({ name: bond, kind: 'ovs-bond', master: br, members: sorted(ifaces), up: true });
      for (const i of ifaces) if (find(i)) find(i).master = bond;
      find(br).members = sorted([...(find(br).members || []), bond]);
      break;
    }
    case 'del-br': {
      if (!isBridge(find(a[0]))) {
        if (!flags.has('--if-exists')) s.fail(`ovs-vsctl: no bridge named ${a[0]}`, 1);
        break;
      }
      const doomed = new Set([a[0], ...state.links.filter((l) => l.kind === 'ovs-fake-bridge' && l.parent === a[0]).map((l) => l.name)]);
      state.links = state.links.filter((l) => !(ovsOnly(l) && doomed.has(l.master)));
      for (const l of state.links) if (doomed.has(l.master)) delete l.master;
      const bonds = new Set(state.links.filter((l) => l.kind === 'ovs-bond' && doomed.has(l.master)).map((l) => l.name));
      state.links = state.links.filter((l) => !doomed.has(l.name) && !(l.kind === 'ovs-bond' && !l.master));
      for (const l of state.links) if (bonds.has(l.master)) delete l.master;
      state.addresses = state.addresses.filter((x) => !doomed.has(x.dev));
      break;
    }
    case 'del-port': {
      const port = a[a.length - 1];
      const owner = portOwner(port);
      if (!owner) {
        if (!flags.has('--if-exists')) s.fail(`ovs-vsctl: no port named ${port}`, 1);
        break;
      }
      owner.members = (owner.members || []).filter((p) => p !== port);
      const link = find(port);
      if (link && link.kind === 'ovs-bond') {
        for (const l of state.links) if (l.master === port) delete l.master;
        state.links = state.links.filter((l) => l !== link);
      } else if (ovsOnly(link)) state.links = state.links.filter((l) => l !== link);
      else if (link) delete link.master;
      break;
    }
    case 'set':
    case 'clear':
    case 'remove':
    case 'add': {
      const [table, record, ...pairs] = a;
      const link = find(record);
      if (!link && !portOwner(record)) s.fail(`ovs-vsctl: no row "${record}" in table ${table}`, 1);
      for (const pair of pairs) {
        const m = /^tag=(\d+)$/.exec(pair);
        if (m && link && /^port$/i.test(table)) link.vlanId = Number(m[1]);
      }
      break;
    }
    case 'show':
      for (const br of state.links.filter((l) => l.kind === 'ovs-bridge')) {
        out.push(`    Bridge ${br.name}`);
        for (const p of [br.name, ...ports(br.name)]) out.push(`        Port ${p}`, `            Interface ${p}`);
      }
      break;
    default:
      s.fail(`ovs-vsctl: unknown command '${cmd}'; the simulator supports list-br, br-exists, list-ports, list-ifaces, port-to-br, iface-to-br, br-to-parent, br-to-vlan, get, add-br, add-port, add-bond, del-br, del-port, set, show`, 1);
  }
  // A table (list) is told apart from the one before it in a chain by a blank line (ovs-vsctl.js).
  return { out, code: 0, table: cmd === 'list' };
}

// The `list` forms the facts and apply scripts send; the stand-in's answer depends only on the table and headings.
const LIST_QUERIES = { bridge: ['list', 'bridge'], port: ['list', 'port'], interface: ['list', 'interface'] };

/**
 * Cache file name → the output ovs-vsctl gives for it in `state`: list-br, per bridge br-to-parent.B,
 * br-to-vlan.B, list-ports.B, list.interface (without its
 * heading), rows.bridge / rows.port / rows.interface (with theirs), and rows.tables (the three lists print_live chains).
 * A query the model refuses is left out, so the wrapper hands it to node and its error.
 */
function cacheFiles(state) {
  const files = {};
  const answer = (name, words, headings = false) => {
    try {
      const { out, code } = runCommand(structuredClone(state), words, headings);
      if (code === 0) files[name] = out.length > 0 ? `${out.join('\n')}\n` : '';
    } catch {
      // not cached: node answers it
    }
  };
  answer('list-br', ['list-br']);
  for (const br of sorted(state.links.filter(isBridge).map((l) => l.name))) {
    if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(br)) continue;
    answer(`br-to-parent.${br}`, ['br-to-parent', br]);
    answer(`br-to-vlan.${br}`, ['br-to-vlan', br]);
    answer(`list-ports.${br}`, ['list-ports', br]);
  }
  for (const [table, words] of Object.entries(LIST_QUERIES)) answer(`rows.${table}`, words, true);
  // the apply snapshot's `--no-headings list interface`
  answer('list.interface', LIST_QUERIES.interface);
  // print_live's chained bridge, port and interface lists: a blank line before every table after the first
  const tables = ['rows.bridge', 'rows.port', 'rows.interface'].map((f) => files[f]);
  if (tables.every((t) => t !== undefined)) files['rows.tables'] = tables.join('\n');
  return files;
}

module.exports = { runCommand, cacheFiles };
