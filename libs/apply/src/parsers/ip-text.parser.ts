import type { LiveState } from '@hostnet/intent';
import { type IpAddrJson, type IpLinkInfoData, type IpLinkJson, type IpRouteJson, parseIpJson } from './ip-json.parser';

/**
 * The live network from iproute2's one-line text, for an `ip` without JSON output (before 4.14: CentOS 7's
 * 4.11 answers `ip -j` with `Option "-j" is unknown`): `ip -o -d link show`, `ip -o addr show`, `ip -4 route
 * show`. Each is read into the JSON shapes and mapped by parseIpJson, so both forms give the same LiveState.
 * `version` is what `ip -V` printed, named when the text does not read.
 */
export function parseIpText(version: string, linkText: string, addrText: string, routeText: string): LiveState {
  const links = parseIpLinkText(version, linkText);
  const linkTypes = new Map(links.map((l) => [l.ifname, l.link_type]));
  return parseIpJson(links, parseIpAddrText(version, addrText, linkTypes), parseIpRouteText(version, routeText));
}

/** The error for an `ip` whose output is neither JSON nor this text: an empty live state would hide every link. */
export function unreadableIp(version: string, what: string, line: string): Error {
  const ip = version.trim().split('\n')[0] || 'an ip that does not say its version';
  return new Error(
    `the host's ip (${ip}) printed neither iproute2 JSON (ip -j, iproute2 4.14 and later) nor the one-line text of older ones ` +
      `(ip -o, as CentOS 7's iproute2 4.11 prints it): ${what} read ${JSON.stringify(line.slice(0, 120))}; ` +
      `fix: install or repair the host's iproute2 (the iproute package on RHEL/CentOS, iproute2 on Debian/Ubuntu)`,
  );
}

/** `N: name[@link]: <FLAGS> …`: a link's first line (a name holds no ':' or blank, the kernel refuses them). */
const LINK_HEAD = /^(\d+):\s+([^\s:@]+)(?:@([^\s:]+))?:\s+<([^>]*)>(.*)$/;

/**
 * `ip -o -d link show`: one line per link, its parts joined by a backslash (`_SL_`): the head (flags, mtu,
 * master, state), `link/TYPE …`, then with -d the kind (`bridge … stp_state N …`, `bond mode M miimon N …`, `vlan protocol 802.1Q id N …`, `veth`,
 * `openvswitch`) and the slave kind (`bridge_slave …`, `bond_slave …`, `openvswitch_slave`). A line that does
 * not open a link continues the one before (the multi-line form, a VLAN's QoS maps).
 */
export function parseIpLinkText(version: string, text: string): IpLinkJson[] {
  const records: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    if (/^\d+:\s/.test(line)) records.push(line);
    else if (records.length > 0) records[records.length - 1] += `\\${line}`;
    else throw unreadableIp(version, 'ip -o -d link show', line);
  }
  if (records.length === 0) throw unreadableIp(version, 'ip -o -d link show', text.trim() || '(nothing)');
  return records.map((record) => linkOf(version, record));
}

function linkOf(version: string, record: string): IpLinkJson {
  const [head, ...parts] = record.split('\\');
  const m = LINK_HEAD.exec(head);
  if (!m) throw unreadableIp(version, 'ip -o -d link show', record);
  const [, , ifname, linkName, flags, rest] = m;
  const words = rest.trim().split(/\s+/);
  const after = (key: string): string | undefined => (words.indexOf(key) >= 0 ? words[words.indexOf(key) + 1] : undefined);
  const link: IpLinkJson = { ifname, flags: flags === '' ? [] : flags.split(',') };
  const mtu = Number(after('mtu'));
  if (Number.isInteger(mtu) && mtu > 0) link.mtu = mtu;
  const master = after('master');
  if (master) link.master = master;
  const state = after('state');
  if (state) link.operstate = state;
  const trimmed = parts.map((p) => p.trim());
  const typeAt = trimmed.findIndex((p) => p.startsWith('link/'));
  if (typeAt >= 0) Object.assign(link, linkAddresses(trimmed[typeAt]));
  // a link in another namespace is `@ifN` with `link-netnsid`; `@NONE` has none: JSON names neither as `link`
  if (linkName && linkName !== 'NONE' && !/\blink-netnsid\b/.test(record)) link.link = linkName;
  const linkinfo: NonNullable<IpLinkJson['linkinfo']> = {};
  trimmed.slice(typeAt + 1).forEach((part, i) => {
    const [kind, ...opts] = part.split(/\s+/);
    if (kind.endsWith('_slave')) {
      linkinfo.info_slave_kind = kind.slice(0, -'_slave'.length);
      const perm = opts.indexOf('perm_hwaddr');
      if (perm >= 0 && opts[perm + 1]) linkinfo.info_slave_data = { perm_hwaddr: opts[perm + 1] };
    }
    else if (i === 0 && typeAt >= 0 && !['alias', 'vf'].includes(kind)) {
      linkinfo.info_kind = kind;
      const data = infoData(kind, opts);
      if (data) linkinfo.info_data = data;
    }
  });
  if (Object.keys(linkinfo).length > 0) link.linkinfo = linkinfo;
  return link;
}

/** `link/TYPE ADDR brd BRD [permaddr P] …`: the type, the current MAC and (iproute2 5.x+) the permanent one. */
function linkAddresses(part: string): Pick<IpLinkJson, 'link_type' | 'address' | 'permaddr'> {
  const [type, address, ...rest] = part.split(/\s+/);
  const perm = rest.indexOf('permaddr');
  return { link_type: type.slice('link/'.length), ...(address ? { address } : {}), ...(perm >= 0 && rest[perm + 1] ? { permaddr: rest[perm + 1] } : {}) };
}

/** The words of a kind's part that JSON's info_data carries: the `KEY VALUE` pairs iproute2's print_opt writes. */
const TEXT_KEYS: Record<string, Record<string, { key: keyof IpLinkInfoData; number: boolean }>> = {
  vlan: { id: { key: 'id', number: true } },
  bond: {
    mode: { key: 'mode', number: false },
    miimon: { key: 'miimon', number: true },
    lacp_rate: { key: 'ad_lacp_rate', number: false },
    xmit_hash_policy: { key: 'xmit_hash_policy', number: false },
  },
  bridge: { stp_state: { key: 'stp_state', number: true }, forward_delay: { key: 'forward_delay', number: true } },
};

function infoData(kind: string, opts: string[]): IpLinkInfoData | undefined {
  const data: Record<string, string | number> = {};
  for (const [word, { key, number }] of Object.entries(TEXT_KEYS[kind] ?? {})) {
    const at = opts.indexOf(word);
    const value = at >= 0 ? opts[at + 1] : undefined;
    if (value === undefined || (number && !/^\d+$/.test(value))) continue;
    data[key] = number ? Number(value) : value;
  }
  return Object.keys(data).length > 0 ? (data as IpLinkInfoData) : undefined;
}

/** `N: name    inet|inet6 ADDR/LEN [peer P/LEN] … scope S [flags] [label]\       valid_lft T preferred_lft T`. */
const ADDR_LINE = /^\d+:\s+(\S+)\s+(inet6?)\s+(\S+)(.*)$/;

/** `ip -o addr show`, one address a line; a link's type (loopback) from the link lines, as JSON carries it. */
export function parseIpAddrText(version: string, text: string, linkTypes: Map<string, string | undefined> = new Map()): IpAddrJson[] {
  const byDev = new Map<string, IpAddrJson>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const m = ADDR_LINE.exec(line);
    if (!m) throw unreadableIp(version, 'ip -o addr show', line);
    const [, ifname, family, local, rest] = m;
    const words = rest.trim().split(/\s+/);
    const after = (key: string): string | undefined => (words.indexOf(key) >= 0 ? words[words.indexOf(key) + 1] : undefined);
    // `A/LEN`, or `A peer P/LEN` for a point-to-point address (the length is the peer's)
    const [address, ownLength] = local.split('/');
    const length = ownLength ?? after('peer')?.split('/')[1];
    if (length === undefined || !/^\d+$/.test(length)) throw unreadableIp(version, 'ip -o addr show', line);
    const info: NonNullable<IpAddrJson['addr_info']>[number] = { family, local: address, prefixlen: Number(length) };
    const scope = after('scope');
    if (scope) info.scope = scope;
    if (words.includes('dynamic')) info.dynamic = true;
    if (words.includes('temporary')) info.temporary = true;
    const valid = after('valid_lft');
    if (valid !== undefined) info.valid_life_time = valid === 'forever' ? 4294967295 : Number(valid.replace(/sec$/, ''));
    let entry = byDev.get(ifname);
    if (!entry) {
      entry = { ifname, addr_info: [] };
      const type = linkTypes.get(ifname);
      if (type) entry.link_type = type;
      byDev.set(ifname, entry);
    }
    entry.addr_info?.push(info);
  }
  return [...byDev.values()];
}

/** Route types iproute2 prints before a destination that is not unicast. */
const ROUTE_TYPES = new Set(['unicast', 'local', 'broadcast', 'multicast', 'throw', 'unreachable', 'prohibit', 'blackhole', 'nat', 'anycast']);
const DESTINATION = /^(default|[0-9a-f.:]+(\/\d+)?)$/i;

/**
 * `ip -4 route show`: `[TYPE] DST [via GW] [dev D] [proto P] …` a line; a multipath route's `nexthop` lines
 * (indented) are its own, as JSON's `nexthops` are not read either.
 */
export function parseIpRouteText(version: string, text: string): IpRouteJson[] {
  const routes: IpRouteJson[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '' || /^\s/.test(line)) continue;
    const words = line.trim().split(/\s+/);
    if (ROUTE_TYPES.has(words[0])) words.shift();
    const dst = words.shift() ?? '';
    if (!DESTINATION.test(dst)) throw unreadableIp(version, 'ip -4 route show', line);
    const after = (key: string): string | undefined => (words.indexOf(key) >= 0 ? words[words.indexOf(key) + 1] : undefined);
    const route: IpRouteJson = { dst };
    const via = after('via');
    if (via) route.gateway = via;
    const dev = after('dev');
    if (dev) route.dev = dev;
    const proto = after('proto');
    if (proto) route.protocol = proto;
    routes.push(route);
  }
  return routes;
}
