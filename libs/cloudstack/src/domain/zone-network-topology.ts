/**
 * What hostnet knows of a CloudStack zone's networking, as typed domain objects.
 * Raw CloudStack response shapes never leave libs/cloudstack; everything else uses these.
 */

/** The physical traffic types a KVM host carries (CloudStack's Networks.TrafficType subset). */
export type TrafficTypeName = 'Management' | 'Guest' | 'Public' | 'Storage';

/** com.cloud.host.Status */
export type HostState =
  | 'Creating'
  | 'Connecting'
  | 'Up'
  | 'Down'
  | 'Disconnected'
  | 'Alert'
  | 'Removed'
  | 'Error'
  | 'Rebalancing'
  | 'Unknown';

/** com.cloud.resource.ResourceState */
export type HostResourceState =
  | 'Creating'
  | 'Enabled'
  | 'Disabled'
  | 'ErrorInPrepareForMaintenance'
  | 'PrepareForMaintenance'
  | 'ErrorInMaintenance'
  | 'Maintenance'
  | 'Error'
  | 'Degraded'
  | 'Unmanaged';

export interface Zone {
  id: string;
  name: string;
  networkType: 'Advanced' | 'Basic';
  allocationState?: string;
  dns1?: string;
  dns2?: string;
  internalDns1?: string;
  internalDns2?: string;
  domain?: string;
}

export interface Pod {
  id: string;
  name: string;
  zoneId: string;
  gateway: string;
  netmask: string;
  allocationState?: string;
}

export interface Cluster {
  id: string;
  name: string;
  podId: string;
  zoneId: string;
  hypervisorType: string;
  allocationState?: string;
}

export interface KvmHost {
  id: string;
  name: string;
  /** The management address CloudStack knows the host by. */
  ipAddress: string;
  zoneId: string;
  podId: string;
  clusterId: string;
  state: HostState;
  resourceState: HostResourceState;
  hypervisor: string;
  /** The KVM agent's CloudStack version (listHosts `version`, e.g. `4.19.1.0`); absent when not reported or malformed. */
  agentVersion?: string;
}

export interface VlanRange {
  start: number;
  end: number;
}

export interface TrafficTypeLabel {
  id: string;
  trafficType: TrafficTypeName;
  physicalNetworkId: string;
  /** kvmnetworklabel as stored in CloudStack; null when unset. */
  kvmNetworkLabel: string | null;
  /**
   * The device name the KVM agent will actually use: the label when set, otherwise what
   * addHost falls back to (FACTS.md §3.2: public←guest←private, then `cloudbr0`).
   */
  effectiveLabel: string;
  labelSource: 'cloudstack' | 'agent-default';
}

export interface PhysicalNetworkTopology {
  id: string;
  name: string;
  zoneId: string;
  state?: string;
  isolationMethods: string[];
  vlanRanges: VlanRange[];
  tags: string[];
  trafficTypes: TrafficTypeLabel[];
}

export interface StorageNetworkRange {
  id: string;
  zoneId: string;
  podId: string;
  startIp: string;
  endIp: string;
  netmask: string;
  gateway?: string;
  /** 802.1q tag of the storage network; absent when untagged. */
  vlan?: number;
}

export interface TopologyWarning {
  code: 'label-missing' | 'traffic-type-missing' | 'no-kvm-hosts' | 'pod-without-gateway';
  message: string;
  physicalNetworkId?: string;
  trafficType?: TrafficTypeName;
}

export interface ZoneNetworkTopology {
  zone: Zone;
  pods: Pod[];
  clusters: Cluster[];
  hosts: KvmHost[];
  physicalNetworks: PhysicalNetworkTopology[];
  storageRanges: StorageNetworkRange[];
  warnings: TopologyWarning[];
  /** The management server's version (listCapabilities `cloudstackversion`); absent when malformed. */
  cloudstackVersion?: string;
}
