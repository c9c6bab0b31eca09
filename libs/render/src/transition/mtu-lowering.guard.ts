import { DEFAULT_MTU } from '@hostnet/intent';
import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveState } from '@hostnet/intent/domain/live-state';
import { MtuLoweringError } from '../domain/render-errors';

/**
 * Refuses a run that would lower the MTU of a NIC, bond or VLAN interface the intent configures but sets no
 * MTU for: a host set up by hand with jumbo frames for storage, and a profile that is silent about MTU. The
 * files say nothing, so a bond made anew runs at the default and pulls its members down with it, and every
 * other device falls back at the next boot; verification holds them to the default, and the run's own ip
 * steps (mtu-steps.ts) would lower them to it at once. An MTU the profile sets (`mtu: 1500` included) is the
 * operator's intent, lowering included: the run writes it and its ip steps lower the devices, children before
 * parents, verified. A bond's member runs at the bond's MTU (the intent rules refuse one of its own that differs).
 */
export function refuseLoweringMtu(intent: HostNetworkIntent, live: LiveState): void {
  const liveMtu = new Map(live.links.map((l) => [l.name, l.mtu ?? DEFAULT_MTU]));
  const bondOf = new Map(intent.bonds.map((b) => [b.name, b]));
  // `network`: the bridge a device carries, whose profile network sets its MTU
  const silent = [
    ...intent.nics.map((n) => {
      const bond = n.bond ? bondOf.get(n.bond) : undefined;
      return { name: n.name, set: bond ? bond.mtu : n.mtu, network: (bond ? bond.bridge : n.bridge) ?? n.name };
    }),
    ...intent.bonds.map((b) => ({ name: b.name, set: b.mtu, network: b.bridge ?? b.name })),
    ...intent.vlans.map((v) => ({ name: v.name, set: v.mtu, network: v.bridge ?? v.name })),
  ].filter((d) => d.set === undefined);
  const lowered = silent
    .filter((d) => liveMtu.has(d.name) && liveMtu.get(d.name)! > DEFAULT_MTU)
    .map((d) => ({ name: d.name, live: liveMtu.get(d.name)!, intended: DEFAULT_MTU, network: d.network }));
  if (lowered.length > 0) throw new MtuLoweringError(lowered);
}
