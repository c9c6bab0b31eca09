/**
 * A host's network as it runs, in one neutral shape: what verification expects (derived from an
 * intent) and what facts report (parsed from `ip -j` or an older ip's one-line text, sysfs and `ovs-vsctl`) are compared in it.
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
  /** A veth's other end, when it is in the same namespace (a relabel's link between two Linux bridges); a veth is otherwise a `nic`. */
  peer?: string;
  up?: boolean;
  /**
   * Read by facts: the link's MTU when it is not the default 1500 (absent means 1500). Expected: the MTU the
   * link must run at, default included (absent: not held to one).
   */
  mtu?: number;
  /** A Linux bond's driver parameters (not an OVS bond's: ovsPort has those). */
  bond?: LiveBondParams;
  /** A Linux bridge's spanning-tree settings. */
  bridge?: LiveBridgeParams;
  /** OVS Port row settings of an OVS port (bonds and single-interface ports) or of a bridge's own port, when facts read them. */
  ovsPort?: LiveOvsPort;
  /** OVS Interface row settings (a bridge's: its own internal interface), when facts read them. */
  ovsInterface?: LiveOvsInterface;
  /** OVS bridge `datapath_type` ('' = OVS's default), when facts read it. */
  ovsDatapathType?: string;
  /** A real OVS bridge's Bridge row settings, when facts read them. */
  ovsBridge?: LiveOvsBridge;
}

/**
 * Read by facts: what the kernel reports (`ip -d link` info_data). Expected: what the intent sets, each
 * absent key not held to a value.
 */
export interface LiveBondParams {
  /** The bonding driver's mode name (`802.3ad`, `active-backup`, …). */
  mode?: string;
  miimon?: number;
  /** `slow` or `fast`. */
  lacpRate?: string;
  xmitHashPolicy?: string;
}

/** As LiveBondParams: read by facts, or what the intent sets. */
export interface LiveBridgeParams {
  stp?: boolean;
  /** In hundredths of a second, as the kernel reports it and `ip link set … type bridge forward_delay` takes it. */
  forwardDelay?: number;
}

/** The OVS Bridge columns an undo gives back to a bridge it recreates (empty values are absent keys). */
export interface LiveOvsBridge {
  /** '' for OVS's default (system). */
  datapathType: string;
  /** `standalone` or `secure` (absent: OVS's default, standalone). */
  failMode?: string;
  stpEnable?: true;
  rstpEnable?: true;
  mcastSnoopingEnable?: true;
  /** The OpenFlow versions it speaks (absent: OVS's default). */
  protocols?: string[];
  /** The VLANs it floods on without learning (absent: none). */
  floodVlans?: number[];
  otherConfig: Record<string, string>;
  externalIds?: Record<string, string>;
  /**
   * As LiveOvsPort's: columns a recreated bridge could not be given back as they were (a controller, mirrors,
   * NetFlow, sFlow, IPFIX rows, a column facts do not know), as ovs-vsctl prints them.
   */
  unrestorable?: Record<string, string>;
}

/** The OVS Port columns a transition must preserve or converge (empty values are absent keys). */
export interface LiveOvsPort {
  bondMode?: string;
  lacp?: string;
  tag?: number;
  otherConfig: Record<string, string>;
  /** The VLANs a trunk port carries (absent: all of them). */
  trunks?: number[];
  /** `access`, `native-tagged`, `native-untagged`, `trunk` or `dot1q-tunnel` (absent: OVS's default). */
  vlanMode?: string;
  externalIds?: Record<string, string>;
  /** A bond's bond_updelay and bond_downdelay in ms (absent: 0). */
  bondUpdelay?: number;
  bondDowndelay?: number;
  bondFakeIface?: true;
  /** The MAC the port offers its bridge (Port mac). */
  mac?: string;
  /** The customer VLANs a dot1q-tunnel port carries (absent: all of them). */
  cvlans?: number[];
  protected?: true;
  /**
   * Columns holding a value a recreated row could not be given back as it was (a QoS row, which OVSDB deletes
   * with its last port; a column facts do not know), as ovs-vsctl prints them: a run that would delete the
   * port refuses instead.
   */
  unrestorable?: Record<string, string>;
}

/** The OVS Interface columns a transition must preserve or converge. */
export interface LiveOvsInterface {
  /** '' for a plain system interface, `internal` for a bridge's own port. */
  type: string;
  otherConfig: Record<string, string>;
  /** The Interface `options` column (a patch port's `peer`), when facts read it. */
  options?: Record<string, string>;
  externalIds?: Record<string, string>;
  /** The MTU OVS sets on the interface (absent: none asked). */
  mtuRequest?: number;
  mac?: string;
  ofportRequest?: number;
  /** Ingress policing in kbit/s and kbit (absent: 0, none), and in kpackets/s and kpackets (OVS 2.16 and later). */
  ingressPolicingRate?: number;
  ingressPolicingBurst?: number;
  ingressPolicingKpktsRate?: number;
  ingressPolicingKpktsBurst?: number;
  lldp?: Record<string, string>;
  /** As LiveOvsPort's: BFD and CFM sessions (a recreated interface starts them over), a column facts do not know. */
  unrestorable?: Record<string, string>;
}

export interface LiveAddress {
  dev: string;
  address: string;
  prefix: number;
  /** A lease (DHCP, SLAAC: a finite lifetime): it comes back by itself. */
  dynamic?: true;
}

export interface LiveRoute {
  to: string;
  via?: string;
  dev: string;
  /** Learnt (DHCP, router advertisements), not set by hand: it comes back by itself. */
  dynamic?: true;
}

export interface LiveState {
  links: LiveLink[];
  /** IPv4 addresses. */
  addresses: LiveAddress[];
  routes: LiveRoute[];
  /**
   * Static global IPv6 addresses, when facts read them (not SLAAC's or DHCPv6's, which come back by
   * themselves): hostnet configures none, so a run must not take one away unseen. Not verified.
   */
  addresses6?: LiveAddress[];
  /**
   * Ethernet links' MAC addresses by name (those ip shows as no bridge, bond or VLAN: read the link's kind), lowercase,
   * when facts read them: the permanent one where the kernel reports it (a bond port's own, not the bond's it runs
   * with), else the current one. What binds another owner's profile to a NIC by MAC (foreign-configs.ts).
   */
  macs?: Record<string, string>;
  /**
   * The current MAC of those links, lowercase, where it is not the one `macs` holds (a bond port runs with its bond's).
   * netplan before 0.106 matches `match: macaddress` by it (networkd's MACAddress=), 0.106 on by the permanent one.
   */
  currentMacs?: Record<string, string>;
}
