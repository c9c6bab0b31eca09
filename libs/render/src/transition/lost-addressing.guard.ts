import { compareNatural } from '@hostnet/intent/builder/natural-order';
import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveRoute, LiveState } from '@hostnet/intent/domain/live-state';
import { expectedLiveState } from '@hostnet/intent/live/expected-live-state';
import { isLinkLocal, networkOf, parseCidr, parseIpv4 } from '@hostnet/intent/validation/ipv4.validator';
import { LostAddressingError } from '../domain/render-errors';
import { managedInterfaceNames } from '../foreign/foreign-configs';

/** At most this many are named: the rest are counted. */
const MAX_LISTED = 12;

/**
 * Refuses a run that would silently take addresses or static routes off the interfaces it configures
 * (an interface's files are replaced whole and re-activation flushes what they do not name): a second
 * IPv4 address, a static IPv6 one, a route to an NFS storage network. The intent's own addresses and
 * routes, wherever and with whatever prefix they sit now (the management address moving from eth0 to
 * cloudbr0), are kept; so are the kernel's subnet routes of an address and link-local ones. Interfaces
 * hostnet's last run made count as configured too.
 */
export function refuseLosingAddressing(intent: HostNetworkIntent, live: LiveState, previous?: LiveState): void {
  const touched = new Set([...managedInterfaceNames(intent), ...(previous?.links ?? []).map((l) => l.name)]);
  const expected = expectedLiveState(intent);
  // an address the intent keeps stays whatever its prefix now: the intent's comes from CloudStack's netmask
  const kept = new Set(expected.addresses.map((a) => a.address));
  const keptRoutes = new Set(expected.routes.map(routeKey));
  const lost = [
    ...live.addresses.filter((a) => touched.has(a.dev) && !kept.has(a.address)).map((a) => `address ${a.address}/${a.prefix} on ${a.dev}`),
    ...(live.addresses6 ?? []).filter((a) => touched.has(a.dev)).map((a) => `address ${a.address}/${a.prefix} on ${a.dev}`),
    ...live.routes.filter((r) => touched.has(r.dev) && isStatic(r, live) && !keptRoutes.has(routeKey(r))).map((r) => `route ${r.to}${r.via ? ` via ${r.via}` : ''} dev ${r.dev}`),
  ];
  if (lost.length === 0) return;
  const listed = [...new Set(lost)].sort(compareNatural);
  throw new LostAddressingError(listed.length > MAX_LISTED ? [...listed.slice(0, MAX_LISTED), `… (${listed.length} in all)`] : listed);
}

const routeKey = (r: Pick<LiveRoute, 'to' | 'via'>) => `${r.to} ${r.via ?? ''}`;

/** A route someone set: not the default (the intent's replaces it), not link-local, not the kernel's route to an address's own subnet. */
function isStatic(route: LiveRoute, live: LiveState): boolean {
  if (route.to === 'default') return false;
  const cidr = parseCidr(route.to.includes('/') ? route.to : `${route.to}/32`);
  const network = cidr ? parseIpv4(cidr.address) : null;
  if (!cidr || network === null || cidr.prefix === null) return true;
  if (isLinkLocal(network)) return false;
  if (route.via !== undefined) return true;
  const prefix = cidr.prefix;
  return !live.addresses.some((a) => a.dev === route.dev && a.prefix === prefix && networkOf(parseIpv4(a.address) ?? -1, prefix) === networkOf(network, prefix));
}
