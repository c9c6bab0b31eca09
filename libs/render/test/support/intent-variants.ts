import type { BondIntent, HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';

/** The intent with bond0/bond1 made of these NICs (e.g. swapped members). */
export function withBonds(intent: HostNetworkIntent, b0: string[], b1: string[]): HostNetworkIntent {
  const members: Record<string, string[]> = { bond0: b0, bond1: b1 };
  return {
    ...intent,
    nics: [...new Set([...b0, ...b1])].sort().map((name) => ({ name, bond: b0.includes(name) ? 'bond0' : 'bond1' })),
    bonds: intent.bonds.map((b) => ({ ...b, members: members[b.name] })),
  };
}

/** The intent with one bond's settings changed (mode, LACP, …). */
export function withBond(intent: HostNetworkIntent, name: string, change: Partial<BondIntent>): HostNetworkIntent {
  return { ...intent, bonds: intent.bonds.map((b) => (b.name === name ? { ...b, ...change } : b)) };
}

/** The intent with bond1 gone: its first NIC joins bond0, the other becomes cloudbr1's direct uplink. */
export function withoutBond1(intent: HostNetworkIntent): HostNetworkIntent {
  const [joins, direct] = intent.bonds.find((b) => b.name === 'bond1')!.members;
  return {
    ...intent,
    nics: intent.nics.map((n) => (n.name === joins ? { name: n.name, bond: 'bond0' } : n.name === direct ? { name: n.name, bridge: 'cloudbr1' } : n)),
    bonds: intent.bonds.filter((b) => b.name !== 'bond1').map((b) => (b.name === 'bond0' ? { ...b, members: [...b.members, joins] } : b)),
    bridges: intent.bridges.map((b) => (b.name === 'cloudbr1' ? { ...b, uplink: direct } : b)),
  };
}

/** The intent with a bridge renamed (a CloudStack label changed), its bonds and fake bridges following. */
export function renameBridge(intent: HostNetworkIntent, from: string, to: string): HostNetworkIntent {
  const rename = (n: string | undefined) => (n === from ? to : n);
  return {
    ...intent,
    nics: intent.nics.map((n) => ({ ...n, ...(n.bridge ? { bridge: rename(n.bridge) } : {}) })),
    bonds: intent.bonds.map((b) => ({ ...b, bridge: rename(b.bridge) })),
    bridges: intent.bridges.map((b) => ({ ...b, name: rename(b.name) as string, ...(b.parent ? { parent: rename(b.parent) } : {}) })),
    managementBridge: rename(intent.managementBridge) as string,
  };
}

/** The intent with no bonds: each bonded bridge takes the bond's first member as its direct uplink, the other members stay free. */
export function withoutBonds(intent: HostNetworkIntent): HostNetworkIntent {
  const firstOf = new Map(intent.bonds.map((b) => [b.name, b.members[0]]));
  const bridgeOf = new Map(intent.bonds.map((b) => [b.members[0], b.bridge]));
  return {
    ...intent,
    nics: intent.nics.map((n) => ({ name: n.name, ...(bridgeOf.get(n.name) ? { bridge: bridgeOf.get(n.name) } : {}) })),
    bonds: [],
    bridges: intent.bridges.map((b) => (b.uplink && firstOf.has(b.uplink) ? { ...b, uplink: firstOf.get(b.uplink) } : b)),
  };
}

/** The intent with a bond renamed (its NICs follow), as a profile edit would make it. */
export function renameBond(intent: HostNetworkIntent, from: string, to: string): HostNetworkIntent {
  return {
    ...intent,
    nics: intent.nics.map((n) => (n.bond === from ? { ...n, bond: to } : n)),
    bonds: intent.bonds.map((b) => (b.name === from ? { ...b, name: to } : b)),
  };
}

/** The intent with a bond replaced by its first NIC as the bridge's direct uplink; its other NICs leave the intent. */
export function bondToNic(intent: HostNetworkIntent, bond: string): HostNetworkIntent {
  const [kept, ...dropped] = intent.bonds.find((b) => b.name === bond)!.members;
  const bridge = intent.bonds.find((b) => b.name === bond)!.bridge;
  return {
    ...intent,
    nics: intent.nics.filter((n) => !dropped.includes(n.name)).map((n) => (n.name === kept ? { name: n.name, bridge } : n)),
    bonds: intent.bonds.filter((b) => b.name !== bond),
    bridges: intent.bridges.map((b) => (b.uplink === bond ? { ...b, uplink: kept } : b)),
  };
}
