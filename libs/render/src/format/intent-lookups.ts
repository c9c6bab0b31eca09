import type { BondIntent, BridgeIntent, HostNetworkIntent, NicIntent } from '@hostnet/intent/domain/host-network-intent';

/** One end of a bridge link as a port: `name` in `bridge`, its other end `peer` (in `peerBridge`). */
export interface LinkPort {
  kind: 'ovs-patch' | 'veth';
  name: string;
  bridge: string;
  peer: string;
  peerBridge: string;
  mtu?: number;
}

/** Every end of the intent's bridge links (a relabel's expand layout), in intent order; none otherwise. */
export function linkPorts(intent: HostNetworkIntent): LinkPort[] {
  return (intent.links ?? []).flatMap((l) =>
    l.ends.map((end, i) => {
      const other = l.ends[1 - i];
      return { kind: l.kind, name: end.name, bridge: end.bridge, peer: other.name, peerBridge: other.bridge, ...(l.mtu !== undefined ? { mtu: l.mtu } : {}) };
    }),
  );
}

/**
 * One port per veth pair: its first end (the one in the old bridge of a relabel), whose config makes
 * the pair; `peer` is the end in the new bridge.
 */
export function vethPairs(intent: HostNetworkIntent): LinkPort[] {
  const firsts = new Set((intent.links ?? []).filter((l) => l.kind === 'veth').map((l) => l.ends[0].name));
  return linkPorts(intent).filter((p) => firsts.has(p.name));
}

/** The link ports sitting in `bridge`. */
export function linkPortsOf(intent: HostNetworkIntent, bridge: string): LinkPort[] {
  return linkPorts(intent).filter((p) => p.bridge === bridge);
}

/** Bridges that are real bridges (not OVS fake VLAN bridges), in intent order. */
export function realBridges(intent: HostNetworkIntent): BridgeIntent[] {
  return intent.bridges.filter((b) => b.parent === undefined);
}

/** OVS fake VLAN bridges (parent + vlanId), in intent order. */
export function fakeBridges(intent: HostNetworkIntent): BridgeIntent[] {
  return intent.bridges.filter((b) => b.parent !== undefined);
}

/** Bonds whose uplink bridge is `bridge`. */
export function bondsOf(intent: HostNetworkIntent, bridge: string): BondIntent[] {
  return intent.bonds.filter((b) => b.bridge === bridge);
}

/** NICs that are a bridge's direct uplink (not bond members). */
export function directNicsOf(intent: HostNetworkIntent, bridge: string): NicIntent[] {
  return intent.nics.filter((n) => n.bridge === bridge && n.bond === undefined);
}

/** Search list for renderers with one list: the resolver domain first, then dns.search, deduplicated. */
export function searchDomains(intent: HostNetworkIntent): string[] {
  const domain = intent.dns.domain;
  return [...new Set([...(domain ? [domain] : []), ...intent.dns.search])];
}

/** The bridge that carries DNS settings and the default route: the management bridge. */
export function isManagement(intent: HostNetworkIntent, bridge: BridgeIntent): boolean {
  return bridge.name === intent.managementBridge;
}

/** Where the intent puts each NIC, bond and VLAN interface (its bond or bridge). */
export function intendedMasters(intent: HostNetworkIntent): Map<string, string | undefined> {
  return new Map<string, string | undefined>([
    ...intent.nics.map((n) => [n.name, n.bond ?? n.bridge] as const),
    ...intent.bonds.map((b) => [b.name, b.bridge] as const),
    ...intent.vlans.map((v) => [v.name, v.bridge] as const),
  ]);
}
