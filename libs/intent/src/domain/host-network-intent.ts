import type { TrafficTypeName } from '@hostnet/cloudstack';

/**
 * Everything a renderer needs to write one KVM host's network configuration, already validated.
 * Pure data: no defaults are left for a renderer to invent, so a re-render is identical.
 */

export type BridgeBackend = 'linux' | 'ovs';

/**
 * The one table of bond modes, by backend: the Linux bonding driver's in its numeric order (mode=0 … mode=6, as
 * BONDING_OPTS writes them), and those Open vSwitch implements.
 */
export const BOND_MODES = {
  linux: ['balance-rr', 'active-backup', 'balance-xor', 'broadcast', '802.3ad', 'balance-tlb', 'balance-alb'],
  ovs: ['active-backup', 'balance-slb', 'balance-tcp'],
} as const satisfies Record<BridgeBackend, readonly string[]>;

export type BondMode = (typeof BOND_MODES)[BridgeBackend][number];

export interface Ipv4Address {
  address: string;
  /** Prefix length 0–32. */
  prefix: number;
}

export interface NicIntent {
  name: string;
  /** Bond this NIC is a member of, if any. */
  bond?: string;
  /** Bridge this NIC is the direct uplink of, if any. */
  bridge?: string;
  mtu?: number;
  /** MAC address, upper-case colon form, when the profile pins it (ifcfg HWADDR). */
  hwaddr?: string;
}

export interface BondIntent {
  name: string;
  members: string[];
  mode: BondMode;
  miimon: number;
  lacpRate?: 'slow' | 'fast';
  xmitHashPolicy?: 'layer2' | 'layer2+3' | 'layer3+4' | 'encap2+3' | 'encap3+4';
  /** OVS LACP setting (`lacp=off|active|passive`); linux bonds use the mode instead. */
  lacp?: 'off' | 'active' | 'passive';
  /** Bridge this bond is the uplink of. */
  bridge?: string;
  mtu?: number;
}

/** An 802.1q interface on the linux backend (`bond0.100`); OVS uses fake bridges instead. */
export interface VlanIntent {
  name: string;
  parent: string;
  vlanId: number;
  bridge?: string;
  mtu?: number;
}

export type BridgeRole =
  /** Named by a CloudStack KVM traffic label. */
  | 'traffic-label'
  /** Host-only extra bridge from the profile (e.g. a storage VLAN bridge). */
  | 'extra'
  /** The OVS-only link-local bridge for system VMs. */
  | 'link-local';

export interface BridgeIntent {
  name: string;
  role: BridgeRole;
  /** Traffic types this bridge serves (empty for extras that CloudStack does not name). */
  trafficTypes: TrafficTypeName[];
  /** The port carrying traffic out: a NIC, bond or VLAN interface (linux) or bond/NIC (ovs). */
  uplink?: string;
  /** OVS fake bridge: parent bridge and the VLAN tag it rides on. */
  parent?: string;
  vlanId?: number;
  address?: Ipv4Address;
  gateway?: string;
  mtu?: number;
  stp: boolean;
  /** Linux bridge forward delay in seconds. */
  forwardDelay: number;
}

/** An extra static route; the default route is never one of these (it is `defaultGateway`). */
export interface RouteIntent {
  /** A CIDR (`default` is rejected by the intent rules: use defaultGateway). */
  to: string;
  via: string;
  dev: string;
}

/** Resolver settings; all empty means hostnet leaves the host's resolver alone. */
export interface DnsIntent {
  nameservers: string[];
  search: string[];
  /** Resolver `domain` (ifupdown `dns-domain`), when the profile sets one; optional, added by the intent builder. */
  domain?: string;
}

/** One end of a link between two bridges: the port named `name` in `bridge`. */
export interface BridgeLinkEnd {
  name: string;
  bridge: string;
}

/**
 * A link between two bridges, only in a relabel's expand layout (docs/relabel.md): an OVS patch port
 * pair (`ovs-patch`) or a veth pair (`veth`, linux). `ends[0]` sits in the bridge of the old label.
 */
export interface BridgeLinkIntent {
  kind: 'ovs-patch' | 'veth';
  ends: [BridgeLinkEnd, BridgeLinkEnd];
  /** veth only: the uplink's MTU (a linux bridge takes the smallest MTU of its ports). */
  mtu?: number;
}

export interface HostNetworkIntent {
  /** CloudStack host id the intent was derived for. */
  hostId: string;
  /** Short hostname, and FQDN when the profile gives a domain. */
  hostname: string;
  fqdn?: string;
  backend: BridgeBackend;
  nics: NicIntent[];
  bonds: BondIntent[];
  vlans: VlanIntent[];
  /** Bridges in render order; includes cloud0 when the backend is ovs. */
  bridges: BridgeIntent[];
  /** Extra static routes only; the default route is `defaultGateway`, also the management bridge's `gateway`. */
  routes: RouteIntent[];
  dns: DnsIntent;
  /** The bridge carrying the management IP (the Management label's bridge). */
  managementBridge: string;
  managementAddress: Ipv4Address;
  defaultGateway: string;
  /** OVS: set other-config:enable-vlan-splinters=true on these NICs and persist it. */
  vlanSplinters: boolean;
  /** Links between bridges; absent except in a relabel's expand layout (intent/relabel). */
  links?: BridgeLinkIntent[];
}
