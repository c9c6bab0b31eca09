import { DEFAULT_MTU, type LiveAddress, type LiveLink, type LiveRoute, type LiveState } from '@hostnet/intent';

/** The fields hostnet reads from `ip -j -d link show` (iproute2 JSON). */
export interface IpLinkJson {
  ifname: string;
  flags?: string[];
  operstate?: string;
  mtu?: number;
  master?: string;
  link?: string;
  link_type?: string;
  /** The current MAC; `permaddr` the permanent one when it differs (iproute2 5.x+), as a bond port's does. */
  address?: string;
  permaddr?: string;
  linkinfo?: { info_kind?: string; info_data?: IpLinkInfoData; info_slave_kind?: string; info_slave_data?: { perm_hwaddr?: string } };
}

/** The info_data fields hostnet reads: a VLAN's id, a bond's and a bridge's parameters (forward_delay in hundredths of a second). */
export interface IpLinkInfoData {
  id?: number;
  mode?: string;
  miimon?: number;
  ad_lacp_rate?: string;
  xmit_hash_policy?: string;
  stp_state?: number;
  forward_delay?: number;
}

/** The fields hostnet reads from `ip -j addr show`. */
export interface IpAddrJson {
  ifname: string;
  link_type?: string;
  addr_info?: { family?: string; local?: string; prefixlen?: number; scope?: string; dynamic?: boolean; temporary?: boolean; valid_life_time?: number }[];
}

/** The fields hostnet reads from `ip -j route show`. */
export interface IpRouteJson {
  dst: string;
  gateway?: string;
  dev?: string;
  protocol?: string;
}

type AddrInfo = NonNullable<IpAddrJson['addr_info']>[number];
/** iproute2's "forever" lifetime: anything shorter is a lease (older iproute2 prints no `dynamic` flag). */
const FOREVER = 4294967295;
const leased = (info: AddrInfo) => info.dynamic === true || info.temporary === true || (info.valid_life_time !== undefined && info.valid_life_time !== FOREVER);
/** Route protocols that learn a route (DHCP, router advertisements) rather than take it from an admin. */
const LEARNT = new Set(['dhcp', 'ra']);

const KIND_BY_INFO_KIND: Record<string, LiveLink['kind']> = { bridge: 'bridge', bond: 'bond', vlan: 'vlan' };

/**
 * Maps iproute2 JSON to the neutral LiveState. Loopback and `ovs-system` are skipped; OVS internal ports
 * show up as plain links until the OVS section (mergeOvsLinks) says which of them are bridges.
 */
export function parseIpJson(links: IpLinkJson[], addrs: IpAddrJson[], routes: IpRouteJson[]): LiveState {
  const liveLinks: LiveLink[] = links
    .filter((l) => l.link_type !== 'loopback' && l.ifname !== 'ovs-system')
    .map((l) => toLink(l));
  for (const link of liveLinks) {
    if (link.kind === 'bridge' || link.kind === 'bond') {
      link.members = liveLinks.filter((m) => m.master === link.name).map((m) => m.name).sort();
    }
  }
  const addresses: LiveAddress[] = addrs.filter((a) => a.link_type !== 'loopback').flatMap((a) =>
    (a.addr_info ?? [])
      .filter((info) => info.family === 'inet' && info.local !== undefined && info.prefixlen !== undefined)
      .map((info) => ({ dev: a.ifname, address: info.local as string, prefix: info.prefixlen as number, ...(leased(info) ? { dynamic: true as const } : {}) })),
  );
  const addresses6: LiveAddress[] = addrs.filter((a) => a.link_type !== 'loopback').flatMap((a) =>
    (a.addr_info ?? [])
      .filter((info) => info.family === 'inet6' && info.scope === 'global' && !leased(info) && info.local !== undefined && info.prefixlen !== undefined)
      .map((info) => ({ dev: a.ifname, address: info.local as string, prefix: info.prefixlen as number })),
  );
  const liveRoutes: LiveRoute[] = routes
    .filter((r) => r.dev !== undefined)
    .map((r) => ({ to: r.dst, dev: r.dev as string, ...(r.gateway ? { via: r.gateway } : {}), ...(LEARNT.has(r.protocol ?? '') ? { dynamic: true as const } : {}) }));
  const { macs, currentMacs } = nicMacs(links, liveLinks);
  return { links: liveLinks, addresses, routes: liveRoutes, ...(addresses6.length > 0 ? { addresses6 } : {}), ...(macs ? { macs } : {}), ...(currentMacs ? { currentMacs } : {}) };
}

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

/**
 * Each Ethernet link ip shows as no bridge, bond or VLAN (OVS internal ports too, until mergeOvsLinks): its permanent
 * MAC (permaddr, or a bond port's perm_hwaddr on an older iproute2), else its current one; and its current one where
 * that is another (a bond port's is its bond's).
 */
function nicMacs(links: IpLinkJson[], liveLinks: LiveLink[]): { macs?: Record<string, string>; currentMacs?: Record<string, string> } {
  const nics = new Set(liveLinks.filter((l) => l.kind === 'nic').map((l) => l.name));
  const macs: Record<string, string> = {};
  const currentMacs: Record<string, string> = {};
  for (const l of links) {
    if (!nics.has(l.ifname) || l.link_type !== 'ether') continue;
    const current = (l.address ?? '').toLowerCase();
    const mac = (l.permaddr ?? l.linkinfo?.info_slave_data?.perm_hwaddr ?? current).toLowerCase();
    if (MAC.test(mac)) macs[l.ifname] = mac;
    if (MAC.test(current) && current !== mac) currentMacs[l.ifname] = current;
  }
  return { ...(Object.keys(macs).length > 0 ? { macs } : {}), ...(Object.keys(currentMacs).length > 0 ? { currentMacs } : {}) };
}

function toLink(l: IpLinkJson): LiveLink {
  const infoKind = l.linkinfo?.info_kind ?? '';
  const link: LiveLink = { name: l.ifname, kind: KIND_BY_INFO_KIND[infoKind] ?? 'nic' };
  if (l.master && l.master !== 'ovs-system') link.master = l.master;
  if (link.kind === 'vlan') {
    if (l.link) link.parent = l.link;
    if (l.linkinfo?.info_data?.id !== undefined) link.vlanId = l.linkinfo.info_data.id;
  }
  const data = l.linkinfo?.info_data;
  if (link.kind === 'bond' && data) {
    const bond = { mode: data.mode, miimon: data.miimon, lacpRate: data.ad_lacp_rate, xmitHashPolicy: data.xmit_hash_policy };
    const read = Object.fromEntries(Object.entries(bond).filter(([, v]) => v !== undefined));
    if (Object.keys(read).length > 0) link.bond = read;
  }
  if (link.kind === 'bridge' && data && (data.stp_state !== undefined || data.forward_delay !== undefined)) {
    link.bridge = { ...(data.stp_state !== undefined ? { stp: data.stp_state !== 0 } : {}), ...(data.forward_delay !== undefined ? { forwardDelay: data.forward_delay } : {}) };
  }
  // iproute2 names a veth's peer in `link` only when both ends share the namespace (a relabel's pair, not a lab NIC)
  if (infoKind === 'veth' && l.link) link.peer = l.link;
  link.up = (l.flags ?? []).includes('UP');
  if (typeof l.mtu === 'number' && l.mtu !== DEFAULT_MTU) link.mtu = l.mtu;
  return link;
}
