/** In-memory records the simulator serves; field names are ours, presenters map them to CloudStack's. */

/** com.cloud.host.Status */
export type HostStatus =
  | 'Creating' | 'Connecting' | 'Up' | 'Down' | 'Disconnected' | 'Alert' | 'Removed' | 'Error' | 'Rebalancing' | 'Unknown';

/** com.cloud.resource.ResourceState */
export type ResourceState =
  | 'Creating' | 'Enabled' | 'Disabled' | 'ErrorInPrepareForMaintenance' | 'PrepareForMaintenance'
  | 'ErrorInMaintenance' | 'Maintenance' | 'Error' | 'Degraded';

export interface ZoneRecord {
  id: string;
  name: string;
  networkType: 'Advanced' | 'Basic';
  allocationState: string;
  dns1?: string;
  dns2?: string;
  internalDns1?: string;
  internalDns2?: string;
  guestCidrAddress?: string;
  domain?: string;
}

export interface PodRecord {
  id: string;
  name: string;
  zoneId: string;
  gateway: string;
  netmask: string;
  startIp?: string;
  endIp?: string;
  allocationState: string;
}

export interface ClusterRecord {
  id: string;
  name: string;
  zoneId: string;
  podId: string;
  allocationState: string;
}

export interface HostRecord {
  id: string;
  name: string;
  ipAddress: string;
  zoneId: string;
  podId: string;
  clusterId: string;
  state: HostStatus;
  resourceState: ResourceState;
  created: Date;
  /** Set when the host last lost its agent connection. */
  disconnected?: Date;
  hostTags?: string;
  /** Running guest VMs (simulated: a count, migrated by prepareHostForMaintenance). */
  runningVms?: number;
  /** Virtual routers and system VMs (SSVM, CPVM) running on the host: listed by listRouters and listSystemVms, never migrated. */
  systemVms?: SimulatedSystemVm[];
  /** Most VMs the host can run (migration targets need room); SimulatorState.DEFAULT_VM_CAPACITY when unset. */
  vmCapacity?: number;
  /** The agent's CloudStack version; the management server's when unset (agents are upgraded with it). */
  agentVersion?: string;
  /** Bridge → running VMs with a NIC on it: the labels as they were when each VM started or arrived. */
  vmBridges?: Record<string, number>;
}

/** A host's running VMs changed (start, migration in or out): the bridges their NICs use from `at` on. */
export interface VmPlacement {
  at: Date;
  hostId: string;
  hostName: string;
  bridges: Record<string, number>;
}

export interface PhysicalNetworkRecord {
  id: string;
  name: string;
  zoneId: string;
  state: string;
  vlan?: string;
  isolationMethods: string[];
  broadcastDomainRange: string;
  tags: string[];
}

export interface TrafficTypeRecord {
  id: string;
  physicalNetworkId: string;
  trafficType: 'Management' | 'Guest' | 'Public' | 'Storage';
  kvmNetworkLabel?: string;
}

export interface StorageRangeRecord {
  id: string;
  zoneId: string;
  podId: string;
  startIp: string;
  endIp: string;
  netmask: string;
  gateway?: string;
  vlan?: number;
  networkId: string;
}

/** A virtual router or a system VM on a host, as listRouters / listSystemVms list it. */
export interface SimulatedSystemVm {
  type: 'router' | 'secondarystoragevm' | 'consoleproxy';
  name: string;
}
