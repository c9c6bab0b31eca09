import { compareNatural, DEFAULT_MTU, intendedMtus } from '@hostnet/intent';
import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveLink, LiveState } from '@hostnet/intent/domain/live-state';
import { expectedLiveState } from '@hostnet/intent/live/expected-live-state';
import { MtuAboveForeignPortsError, MtuLoweringError, type ForeignPortsAboveMtu } from '../domain/render-errors';

/**
 * Refuses a run that would lower the MTU of a NIC, bond or VLAN interface the intent configures but sets no
 * MTU for: a host set up by hand with jumbo frames for storage, and a profile that is silent about MTU. The
 * files say nothing, so a bond made anew runs at the default and pulls its members down with it, and every
 * other device falls back at the next boot; verification holds them to the default, and the run's own ip
 * steps (mtu-steps.ts) would lower them to it at once. An MTU the profile sets (`mtu: 1500` included) is the
 * operator's intent, lowering included: the run writes it and its ip steps lower the devices, children before
 * parents, verified, unless a port that is not hostnet's runs above the new MTU (refuseLoweringUnderForeignPorts).
 * A bond's member runs at the bond's MTU (the intent rules refuse one of its own that differs).
 */
export function refuseLoweringMtu(intent: HostNetworkIntent, live: LiveState, expected: LiveState = expectedLiveState(intent)): void {
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
  refuseLoweringUnderForeignPorts(intent, live, expected);
}

/**
 * Refuses a run that would lower a bridge's MTU under a port hostnet does not own (a VM's tap, the agent's
 * port, anything the intent does not name) that runs above the new MTU: the run cannot change that port (it is
 * not hostnet's), the bridge and its uplink would carry smaller frames than the VM sends, verification would
 * pass and the VM's larger frames would be dropped without a word. A port at or below the new MTU is fine.
 * Linux bridge: the MTU the run holds the bridge to (intendedMtus, the uplink's unless the bridge sets its own;
 * heldToForeignPorts never holds it above a port, only lowers it). OVS: the mtu_request the files give the
 * bridge or its uplink, only when the profile sets one (none asked, OVS lowers nothing); a fake bridge's VM
 * ports count for its parent, whose uplink carries them.
 */
export function refuseLoweringUnderForeignPorts(intent: HostNetworkIntent, live: LiveState, expected: LiveState = expectedLiveState(intent)): void {
  const liveByName = new Map(live.links.map((l) => [l.name, l]));
  const named = new Set(expected.links.map((l) => l.name));
  const targets = new Map<string, number>();
  if (intent.backend === 'ovs') {
    const explicit = new Map<string, number | undefined>([...intent.nics.map((n) => [n.name, n.mtu] as const), ...intent.bonds.map((b) => [b.name, b.mtu] as const)]);
    for (const bridge of intent.bridges) {
      if (bridge.parent !== undefined) continue;
      const mtu = bridge.mtu ?? (bridge.uplink !== undefined ? explicit.get(bridge.uplink) : undefined);
      if (mtu !== undefined) targets.set(bridge.name, mtu);
    }
  } else {
    const mtus = intendedMtus(intent);
    for (const bridge of intent.bridges) if (mtus.has(bridge.name)) targets.set(bridge.name, mtus.get(bridge.name)!);
  }
  const bridgeOf = (port: LiveLink): string | undefined => {
    const master = port.master === undefined ? undefined : liveByName.get(port.master);
    if (master?.kind === 'ovs-fake-bridge' && master.parent !== undefined) return master.parent;
    return master?.name;
  };
  const held: ForeignPortsAboveMtu[] = [];
  for (const [bridge, target] of targets) {
    const running = liveByName.get(bridge);
    if (running === undefined) continue; // made by this run: nothing on it yet
    const uplink = intent.bridges.find((b) => b.name === bridge)?.uplink;
    const now = Math.max(running.mtu ?? DEFAULT_MTU, ...(uplink !== undefined && liveByName.has(uplink) ? [liveByName.get(uplink)!.mtu ?? DEFAULT_MTU] : []));
    if (now <= target) continue; // not lowered by this run
    const ports = live.links
      .filter((p) => !named.has(p.name) && bridgeOf(p) === bridge && (p.mtu ?? DEFAULT_MTU) > target)
      .map((p) => ({ name: p.name, mtu: p.mtu ?? DEFAULT_MTU }))
      .sort((a, b) => compareNatural(a.name, b.name));
    if (ports.length > 0) held.push({ bridge, live: now, target, ports });
  }
  if (held.length > 0) throw new MtuAboveForeignPortsError(held);
}
