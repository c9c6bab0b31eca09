'use strict';
// Renders live state the way iproute2's `ip -j` prints it. Real `ip -j` facts: linkinfo only with -d;
// OVS ports show master "ovs-system"; OVS bonds are no netdevs; lo is always there; the kernel adds a
// "proto kernel" route per IPv4 address; routes on down or missing links are gone.
const crypto = require('node:crypto');

function mac(name) {
  const h = crypto.createHash('md5').update(name).digest();
  return `52:54:00:${[h[0], h[1], h[2]].map((b) => b.toString(16).padStart(2, '0')).join(':')}`;
}

/** Routes the kernel would keep: explicit ones on existing, up links. */
function activeRoutes(state) {
  const up = new Set(state.links.filter((l) => l.up !== false).map((l) => l.name));
  return state.routes.filter((r) => up.has(r.dev));
}

// A link's bond or bridge parameters (LiveLink bond, bridge); what a state leaves out reads as a CloudStack
// host's usual bridge (STP off, no forward delay) and an active-backup bond with miimon 100.
const bridgeData = (link) => {
  const p = link.bridge || {};
  return { forward_delay: p.forwardDelay === undefined ? 0 : p.forwardDelay, hello_time: 200, max_age: 2000, ageing_time: 30000, stp_state: p.stp ? 1 : 0, priority: 32768, vlan_filtering: 0, vlan_protocol: '802.1Q' };
};
const bondData = (link) => {
  const p = link.bond || {};
  return { mode: p.mode || 'active-backup', miimon: p.miimon === undefined ? 100 : p.miimon, updelay: 0, downdelay: 0, xmit_hash_policy: p.xmitHashPolicy || 'layer2', ad_lacp_rate: p.lacpRate || 'slow' };
};

function netdevs(state) {
  const byName = new Map(state.links.map((l) => [l.name, l]));
  const ovs = (name) => ['ovs-bridge', 'ovs-bond', 'ovs-fake-bridge'].includes((byName.get(name) || {}).kind);
  const devs = [{ ifname: 'lo', link_type: 'loopback', address: '00:00:00:00:00:00', operstate: 'UNKNOWN', flags: ['LOOPBACK', 'UP', 'LOWER_UP'], mtu: 65536, linkinfo: undefined }];
  const hasOvs = state.links.some((l) => ovs(l.name));
  if (hasOvs) devs.push({ ifname: 'ovs-system', link_type: 'ether', address: mac('ovs-system'), operstate: 'DOWN', flags: ['BROADCAST', 'MULTICAST'], mtu: 1500, linkinfo: { info_kind: 'openvswitch' } });
  for (const link of state.links) {
    if (link.kind === 'ovs-bond') continue;
    const up = link.up !== false;
    const flags = ['BROADCAST', 'MULTICAST'];
    if (link.kind === 'bond') flags.push('MASTER');
    const master = link.master ? byName.get(link.master) : undefined;
    if (master && master.kind === 'bond') flags.push('SLAVE');
    if (up) flags.push('UP', 'LOWER_UP');
    const dev = { ifname: link.name, link_type: 'ether', address: mac(link.name), operstate: up ? 'UP' : 'DOWN', flags, mtu: link.mtu || 1500 };
    if (link.kind === 'vlan' && link.parent) dev.link = link.parent;
    if (link.peer) dev.link = link.peer;
    if (master) dev.master = ovs(master.name) ? 'ovs-system' : master.name;
    const info = {};
    if (link.kind === 'bridge') Object.assign(info, { info_kind: 'bridge', info_data: bridgeData(link) });
    if (link.kind === 'bond') Object.assign(info, { info_kind: 'bond', info_data: bondData(link) });
    if (link.kind === 'vlan') Object.assign(info, { info_kind: 'vlan', info_data: { protocol: '802.1Q', id: link.vlanId, flags: ['REORDER_HDR'] } });
    if (link.kind === 'ovs-bridge' || link.kind === 'ovs-fake-bridge') Object.assign(info, { info_kind: 'openvswitch' });
    if (link.peer) Object.assign(info, { info_kind: 'veth' });
    if (master && master.kind === 'bond') Object.assign(info, { info_slave_kind: 'bond', info_slave_data: { state: (master.members || [])[0] === link.name ? 'ACTIVE' : 'BACKUP', mii_status: 'UP', link_failure_count: 0, perm_hwaddr: dev.address, queue_id: 0 } });
    else if (master && master.kind === 'bridge') Object.assign(info, { info_slave_kind: 'bridge', info_slave_data: { state: up ? 'forwarding' : 'disabled', priority: 32, cost: 100 } });
    else if (master && ovs(master.name)) Object.assign(info, { info_slave_kind: 'openvswitch' });
    dev.linkinfo = Object.keys(info).length > 0 ? info : undefined;
    devs.push(dev);
  }
  return devs.map((d, i) => ({ ifindex: i + 1, ...d }));
}

function shapeLink(dev, opts, forAddr) {
  const out = { ifindex: dev.ifindex, ifname: dev.ifname };
  if (dev.link) out.link = dev.link;
  Object.assign(out, { flags: dev.flags, mtu: dev.mtu, qdisc: 'noqueue' });
  if (dev.master) out.master = dev.master;
  Object.assign(out, { operstate: dev.operstate, ...(forAddr ? {} : { linkmode: 'DEFAULT' }), group: 'default', txqlen: 1000, link_type: dev.link_type, address: dev.address, broadcast: dev.link_type === 'loopback' ? '00:00:00:00:00:00' : 'ff:ff:ff:ff:ff:ff' });
  if (opts.details) {
    out.promiscuity = dev.master ? 1 : 0;
    if (dev.linkinfo) out.linkinfo = dev.linkinfo;
    Object.assign(out, { inet6_addr_gen_mode: 'eui64', num_tx_queues: 1, num_rx_queues: 1, gso_max_size: 65536, gso_max_segs: 65535 });
  }
  return out;
}

function addrInfo(state, dev, opts) {
  const list = dev.ifname === 'lo' ? [{ address: '127.0.0.1', prefix: 8 }, { address: '::1', prefix: 128 }] : state.addresses.filter((a) => a.dev === dev.ifname);
  return list
    .map((a) => {
      const v6 = a.address.includes(':');
      const info = { family: v6 ? 'inet6' : 'inet', local: a.address, prefixlen: a.prefix };
      if (!v6 && dev.ifname !== 'lo') info.broadcast = broadcast(a.address, a.prefix);
      Object.assign(info, { scope: dev.ifname === 'lo' ? 'host' : 'global' });
      if (!v6) info.label = dev.ifname;
      return Object.assign(info, { valid_life_time: 4294967295, preferred_life_time: 4294967295 });
    })
    .filter((a) => !opts.family || a.family === opts.family);
}

const toInt = (ip) => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
const toIp = (n) => [24, 16, 8, 0].map((b) => Math.floor(n / 2 ** b) % 256).join('.');
const mask = (prefix) => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);
const network = (ip, prefix) => toIp((toInt(ip) & mask(prefix)) >>> 0);
const broadcast = (ip, prefix) => toIp(((toInt(ip) & mask(prefix)) | (~mask(prefix) >>> 0)) >>> 0);

function routes(state, opts) {
  const v6 = opts.family === 'inet6';
  const isV6 = (r) => r.to.includes(':') || (r.via || '').includes(':');
  const out = activeRoutes(state).filter((r) => isV6(r) === v6).map((r) => ({ dst: r.to, ...(r.via ? { gateway: r.via } : {}), dev: r.dev, protocol: 'static', ...(r.via ? {} : { scope: 'link' }), flags: [] }));
  if (!v6) {
    const up = new Set(state.links.filter((l) => l.up !== false).map((l) => l.name));
    for (const a of state.addresses) {
      if (a.address.includes(':') || !up.has(a.dev) || a.prefix === 32) continue;
      const dst = `${network(a.address, a.prefix)}/${a.prefix}`;
      if (!out.some((r) => r.dst === dst && r.dev === a.dev)) out.push({ dst, dev: a.dev, protocol: 'kernel', scope: 'link', prefsrc: a.address, flags: [] });
    }
  }
  return out;
}

/** `ip -j [-d] link|addr show` / `ip -j route show` for the whole host. */
function renderAll(state, object, opts) {
  if (object === 'route') return routes(state, opts);
  return netdevs(state).map((d) => (object === 'addr' ? { ...shapeLink(d, opts, true), addr_info: addrInfo(state, d, opts) } : shapeLink(d, opts, false)));
}

/**
 * Whether a persona's ip is iproute2 before 4.14, without JSON: CentOS 7 ships 4.11 (`ip -V`: iproute2-ss170501),
 * which answers -j with `Option "-j" is unknown, try "ip -help".` and status 255.
 */
const LEGACY_IP_PERSONAS = new Set(['centos7']);
const legacyIp = (persona) => LEGACY_IP_PERSONAS.has(persona);
const ipVersion = (persona) => (legacyIp(persona) ? 'ip utility, iproute2-ss170501' : 'ip utility, iproute2-6.1.0, libbpf 1.1.0');

// iproute2 4.11's text, after its print code (ip/ipaddress.c print_linkinfo, print_linktype, print_addrinfo;
// ip/iproute.c print_route): with -o a link's or address's lines are one, joined by a backslash (_SL_).
const KIND_OPTS = {
  bridge: (d) => `forward_delay ${d.linkinfo.info_data.forward_delay} hello_time 200 max_age 2000 ageing_time 30000 stp_state ${d.linkinfo.info_data.stp_state} priority 32768 vlan_filtering 0 vlan_protocol 802.1Q `,
  // ip/iplink_bond.c bond_print_opt's order: mode, miimon, updelay, downdelay, … xmit_hash_policy, … lacp_rate
  bond: (d) => {
    const data = d.linkinfo.info_data;
    return `mode ${data.mode} miimon ${data.miimon} updelay 0 downdelay 0 use_carrier 1 xmit_hash_policy ${data.xmit_hash_policy} lacp_rate ${data.ad_lacp_rate} `;
  },
  vlan: (d) => `protocol 802.1Q id ${d.linkinfo.info_data.id} <REORDER_HDR> `,
};
const SLAVE_OPTS = {
  bond: (d) => `state ${d.linkinfo.info_slave_data.state} mii_status UP link_failure_count 0 perm_hwaddr ${d.address} queue_id 0 `,
  bridge: (d) => `state ${d.linkinfo.info_slave_data.state} priority 32 cost 100 `,
};

/** A link's head as 4.11 prints it (`mode` only for `link show`). */
function textHead(d, forLink) {
  const qdisc = d.ifname === 'ovs-system' ? 'noop' : 'noqueue';
  return `${d.ifindex}: ${d.ifname}${d.link ? `@${d.link}` : ''}: <${d.flags.join(',')}> mtu ${d.mtu} qdisc ${qdisc} ${d.master ? `master ${d.master} ` : ''}state ${d.operstate} ${forLink ? 'mode DEFAULT ' : ''}group default qlen 1000`;
}

function textLinkType(d, opts) {
  const brd = d.link_type === 'loopback' ? '00:00:00:00:00:00' : 'ff:ff:ff:ff:ff:ff';
  return `    link/${d.link_type} ${d.address} brd ${brd}${opts.details ? ` promiscuity ${d.master ? 1 : 0} ` : ''}`;
}

/** `ip [-o] [-d] link show` of iproute2 4.11. */
function textLinks(devs, opts) {
  const sl = opts.oneline ? '\\' : '\n';
  return devs
    .map((d) => {
      let out = `${textHead(d, true)}${sl}${textLinkType(d, opts)}`;
      const info = d.linkinfo || {};
      if (opts.details) {
        if (info.info_kind) out += `${sl}    ${info.info_kind} ${(KIND_OPTS[info.info_kind] || (() => ''))(d)}`;
        if (info.info_slave_kind) out += `${sl}    ${info.info_slave_kind}_slave ${(SLAVE_OPTS[info.info_slave_kind] || (() => ''))(d)}`;
        out += 'addrgenmode eui64 numtxqueues 1 numrxqueues 1 ';
      }
      return `${out}\n`;
    })
    .join('');
}

/** `ip [-o] [-4|-6] addr show` of iproute2 4.11: with -o the address lines only, each after its link's index and name. */
function textAddrs(state, devs, opts) {
  const sl = opts.oneline ? '\\' : '\n';
  return devs
    .map((d) => {
      const lines = addrInfo(state, d, opts).map((a) => {
        const brd = a.broadcast ? `brd ${a.broadcast} ` : '';
        const label = a.family === 'inet' ? a.label : '';
        return `${opts.oneline ? `${d.ifindex}: ${d.ifname}` : ''}    ${a.family} ${a.local}/${a.prefixlen} ${brd}scope ${a.scope} ${label}${sl}       valid_lft forever preferred_lft forever\n`;
      });
      return opts.oneline ? lines.join('') : `${textHead(d, false)}\n${textLinkType(d, opts)}\n${lines.join('')}`;
    })
    .join('');
}

/** `ip [-4|-6] route show` of iproute2 4.11 (no `proto boot`, `scope universe` unsaid, a trailing blank). */
function textRoutes(list) {
  return list
    .map((r) => `${r.dst} ${r.gateway ? `via ${r.gateway} ` : ''}dev ${r.dev} ${r.protocol && r.protocol !== 'boot' ? `proto ${r.protocol} ` : ''}${r.scope ? `scope ${r.scope} ` : ''}${r.prefsrc ? `src ${r.prefsrc} ` : ''}\n`)
    .join('');
}

/**
 * The outputs the `ip` wrapper serves from .sim/ip-cache without starting node (the facts script's forms),
 * by file name: the JSON ones, or for an ip without JSON (legacyIp) the text print_live asks for instead.
 */
function cacheFiles(state, persona) {
  const plain = { details: false, family: undefined };
  const details = { details: true, family: undefined };
  if (legacyIp(persona)) {
    const devs = netdevs(state);
    return {
      'version.txt': `${ipVersion(persona)}\n`,
      'link-d-o.txt': textLinks(devs, { details: true, oneline: true }),
      'addr-o.txt': textAddrs(state, devs, { details: false, oneline: true }),
      'route-4.txt': textRoutes(routes(state, { family: 'inet' })),
    };
  }
  const line = (value) => `${JSON.stringify(value)}\n`;
  return {
    'link.json': line(renderAll(state, 'link', plain)),
    'link-d.json': line(renderAll(state, 'link', details)),
    'addr.json': line(renderAll(state, 'addr', plain)),
    'addr-d.json': line(renderAll(state, 'addr', details)),
    'route.json': line(renderAll(state, 'route', plain)),
  };
}

module.exports = { activeRoutes, netdevs, shapeLink, addrInfo, routes, renderAll, cacheFiles, legacyIp, ipVersion, textLinks, textAddrs, textRoutes };
