/**
 * A host's network as it runs, in one neutral shape: what verification expects (derived from an
 * intent) and what facts report (parsed from `ip -j`, sysfs and `ovs-vsctl`) are compared in it.
 */
export type LiveLinkKind = 'nic' | 'bond' | 'bridge' | 'vlan' | 'ovs-bridge' | 'ovs-bond' | 'ovs-fake-bridge';

export interface LiveLink {
  name: string;
  kind: LiveLinkKind;
  /** Bridge or bond this link is enslaved to. */
  master?: string;
  /** Bond members / bridge ports, sorted. */
  members?: string[];
  /** VLAN interfaces and OVS fake bridges. */
  parent?: string;
  vlanId?: number;
  up?: boolean;
}

export interface LiveAddress {
  dev: string;
  address: string;
  prefix: number;
}

export interface LiveRoute {
  to: string;
  via?: string;
  dev: string;
}

export interface LiveState {
  links: LiveLink[];
  addresses: LiveAddress[];
  routes: LiveRoute[];
}
