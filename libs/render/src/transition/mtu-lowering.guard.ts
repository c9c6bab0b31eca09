import { DEFAULT_MTU } from '@hostnet/intent';
import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveState } from '@hostnet/intent/domain/live-state';
import { MtuLoweringError } from '../domain/render-errors';

/**
 * Refuses a run that would lower the MTU of a NIC, bond or VLAN interface the intent configures: a host
 * set up by hand with jumbo frames for storage, and a profile that names no MTU. The files say nothing
 * (or less), so a bond made anew runs at the default and pulls its members down with it, and every other
 * device falls back at the next boot; verification holds them to the profile's MTU, and the run's own ip
 * steps (mtu-steps.ts) would lower them to it at once. A bond's member runs at the bond's MTU unless it
 * has its own.
 */
export function refuseLoweringMtu(intent: HostNetworkIntent, live: LiveState): void {
  const liveMtu = new Map(live.links.map((l) => [l.name, l.mtu ?? DEFAULT_MTU]));
  const bondOf = new Map(intent.bonds.map((b) => [b.name, b]));
  // `network`: the bridge a device carries, whose profile network sets its MTU
  const devices = [
    ...intent.nics.map((n) => {
      const bond = n.bond ? bondOf.get(n.bond) : undefined;
      return { name: n.name, intended: n.mtu ?? bond?.mtu ?? DEFAULT_MTU, network: (bond ? bond.bridge : n.bridge) ?? n.name };
    }),
    ...intent.bonds.map((b) => ({ name: b.name, intended: b.mtu ?? DEFAULT_MTU, network: b.bridge ?? b.name })),
    ...intent.vlans.map((v) => ({ name: v.name, intended: v.mtu ?? DEFAULT_MTU, network: v.bridge ?? v.name })),
  ];
  const lowered = devices.filter((d) => liveMtu.has(d.name) && liveMtu.get(d.name)! > d.intended).map((d) => ({ ...d, live: liveMtu.get(d.name)! }));
  if (lowered.length > 0) throw new MtuLoweringError(lowered);
}
