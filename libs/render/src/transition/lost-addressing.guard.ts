import { compareNatural } from '@hostnet/intent/builder/natural-order';
import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveRoute, LiveState } from '@hostnet/intent/domain/live-state';
import { expectedLiveState } from '@hostnet/intent/live/expected-live-state';
import { isLinkLocal, networkOf, parseCidr, parseIpv4, routeDestination } from '@hostnet/intent/validation/ipv4.validator';
import { LostAddressingError } from '../domain/render-errors';
import { managedInterfaceNames } from '../foreign/foreign-configs';
import { intendedMasters } from '../format/intent-lookups';

/** At most this many are named: the rest are counted. */
const MAX_LISTED = 12;

/**
 * Refuses a run that would silently take addresses or static routes away: what sits on a device the run
 * makes a port (a NIC going into a bond or bridge is flushed; only the intent's addresses come back, on
 * the bridge) or deletes (a device hostnet's last run made that the intent dropped). A second IPv4
 * address, a static IPv6 one, a route to an NFS storage network are named. Kept: the intent's own
 * addresses and routes, wherever and with whatever prefix they sit now (the management address moving
 * from eth0 to cloudbr0), the default route (the intent's replaces it), the kernel's subnet routes,
 * link-local ones, and leases (DHCP, SLAAC), which come back by themselves. A configured host, where
 * nothing changes master, loses nothing here, whatever else its interfaces carry.
 */
export function refuseLosingAddressing(intent: HostNetworkIntent, live: LiveState, previous?: LiveState, expected?: LiveState): void {
  const touched = flushedDevices(intent, live, previous);
  const lost = lostAddressing(intent, live, touched, touched, [], expected);
  if (lost.length > 0) throw new LostAddressingError(listed(lost), undefined, otherHostHint(intent, live));
}

/**
 * The host reached holds another static address in the management network and not the intent's: most likely another
 * host (an SSH endpoint pointing at the wrong one, as a trial's add of kvm6 did at kvm5), whose addresses the fix
 * would have an operator take off. Said before the fix, never instead of the refusal, by both refusals here.
 */
function otherHostHint(intent: HostNetworkIntent, live: LiveState): string | undefined {
  const { address, prefix } = intent.managementAddress;
  const wanted = parseIpv4(address);
  if (wanted === null || live.addresses.some((a) => a.address === address)) return undefined;
  const others = live.addresses.filter((a) => !a.dynamic && parseIpv4(a.address) !== null && networkOf(parseIpv4(a.address)!, prefix) === networkOf(wanted, prefix));
  if (others.length === 0) return undefined;
  const held = others.map((a) => `${a.address}/${a.prefix} on ${a.dev}`).join(', ');
  return `the host reached holds ${held} in the management network and not ${address}, the address its intent names: if it is not the host you meant, check the SSH endpoint hostnet was given for it (nothing here is for you to remove)`;
}

/**
 * Refuses an activation that would flush `devices` (flush-then-ifup of a bridge whose file changed, ifdown of a
 * port) when they carry addresses or static routes hostnet's files do not bring back: an operator's second
 * address on cloudbr0, a route to a storage network. Those of `v6Devices` (taken down, not only flushed of
 * IPv4) lose their static IPv6 addresses too.
 */
export function refuseFlushingAddressing(
  intent: HostNetworkIntent,
  live: LiveState,
  devices: ReadonlySet<string>,
  v6Devices: ReadonlySet<string>,
  restoredRoutes: readonly Pick<LiveRoute, 'to' | 'via'>[] = [],
  expected?: LiveState,
): void {
  const lost = lostAddressing(intent, live, devices, v6Devices, restoredRoutes, expected);
  if (lost.length > 0) throw new LostAddressingError(listed(lost), [...devices].filter((d) => lost.some((l) => l.endsWith(` ${d}`))).sort(compareNatural), otherHostHint(intent, live));
}

function listed(lost: string[]): string[] {
  const names = [...new Set(lost)].sort(compareNatural);
  return names.length > MAX_LISTED ? [...names.slice(0, MAX_LISTED), `… (${names.length} in all)`] : names;
}

/** What sits on `touched` that the intent does not put back (see refuseLosingAddressing), as `address A/P on DEV` and `route … dev DEV`. */
function lostAddressing(
  intent: HostNetworkIntent,
  live: LiveState,
  touched: ReadonlySet<string>,
  v6Touched: ReadonlySet<string>,
  restoredRoutes: readonly Pick<LiveRoute, 'to' | 'via'>[],
  given: LiveState | undefined,
): string[] {
  if (touched.size === 0) return [];
  const expected = given ?? expectedLiveState(intent);
  // an address the intent keeps stays whatever its prefix now: the intent's comes from CloudStack's netmask
  const kept = new Set(expected.addresses.map((a) => a.address));
  const keptRoutes = new Set([...expected.routes, ...restoredRoutes].map(routeKey));
  const linkLocal = (address: string) => isLinkLocal(parseIpv4(address) ?? -1);
  return [
    ...live.addresses.filter((a) => touched.has(a.dev) && !a.dynamic && !linkLocal(a.address) && !kept.has(a.address)).map((a) => `address ${a.address}/${a.prefix} on ${a.dev}`),
    ...(live.addresses6 ?? []).filter((a) => v6Touched.has(a.dev)).map((a) => `address ${a.address}/${a.prefix} on ${a.dev}`),
    ...live.routes.filter((r) => touched.has(r.dev) && !r.dynamic && isStatic(r, live) && !keptRoutes.has(routeKey(r))).map((r) => `route ${r.to}${r.via ? ` via ${r.via}` : ''} dev ${r.dev}`),
  ];
}

/** Live devices the run makes ports of another master, and those of hostnet's last run it retires. */
function flushedDevices(intent: HostNetworkIntent, live: LiveState, previous: LiveState | undefined): Set<string> {
  const byName = new Map(live.links.map((l) => [l.name, l]));
  const becomingPorts = [...intendedMasters(intent)].filter(([name, master]) => master !== undefined && byName.has(name) && byName.get(name)!.master !== master).map(([name]) => name);
  const named = managedInterfaceNames(intent);
  const retired = (previous?.links ?? []).filter((l) => !named.has(l.name) && byName.has(l.name)).map((l) => l.name);
  return new Set([...becomingPorts, ...retired]);
}

const routeKey = (r: Pick<LiveRoute, 'to' | 'via'>) => `${routeDestination(r.to)} ${r.via ?? ''}`;

/** A route someone set: not the default (the intent's replaces it), not link-local, not the kernel's route to an address's own subnet. */
function isStatic(route: LiveRoute, live: LiveState): boolean {
  if (routeDestination(route.to) === 'default') return false;
  const cidr = parseCidr(route.to.includes('/') ? route.to : `${route.to}/32`);
  const network = cidr ? parseIpv4(cidr.address) : null;
  if (!cidr || network === null || cidr.prefix === null) return true;
  if (isLinkLocal(network)) return false;
  if (route.via !== undefined) return true;
  const prefix = cidr.prefix;
  return !live.addresses.some((a) => a.dev === route.dev && a.prefix === prefix && networkOf(parseIpv4(a.address) ?? -1, prefix) === networkOf(network, prefix));
}
