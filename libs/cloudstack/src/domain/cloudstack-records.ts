/**
 * Domain records returned by single CloudStack commands, beside the zone-level
 * ZoneNetworkTopology types. Raw response shapes stay inside libs/cloudstack.
 */
import { PhysicalNetworkTopology, TrafficTypeName } from './zone-network-topology';

/** A physical network as listPhysicalNetworks returns it (no traffic types yet). */
export type PhysicalNetwork = Omit<PhysicalNetworkTopology, 'trafficTypes'>;

/** One traffic type on a physical network, with the KVM label exactly as stored. */
export interface TrafficType {
  id: string;
  trafficType: TrafficTypeName;
  physicalNetworkId: string;
  /** kvmnetworklabel; null when unset. */
  kvmNetworkLabel: string | null;
}

/** What listCapabilities reports; fields beyond the typed ones are kept in `other`. */
export interface Capabilities {
  cloudStackVersion: string;
  apiLimitIntervalSeconds?: number;
  apiLimitMax?: number;
  securityGroupsEnabled?: boolean;
  kubernetesServiceEnabled?: boolean;
  /** Every other scalar capability, by its CloudStack name. */
  other: Record<string, string | number | boolean>;
}

/** The value updateHost's allocationstate accepts (case-sensitive in CloudStack). */
export type HostAllocationAction = 'Enable' | 'Disable';

/** Arguments of addHost for a KVM host. */
export interface AddKvmHostRequest {
  zoneId: string;
  podId: string;
  /** One of clusterId / clusterName is required. */
  clusterId?: string;
  clusterName?: string;
  /** Address CloudStack will SSH to: an IPv4/IPv6 address or DNS name (sent as http://<address>). */
  address: string;
  username: string;
  password: string;
  hostTags?: string[];
  /**
   * addHost validates this against Grouping.AllocationState (`Enabled`/`Disabled`), unlike
   * updateHost's `Enable`/`Disable` (from AC ResourceManagerImpl as remembered; not in FACTS).
   */
  allocationState?: 'Enabled' | 'Disabled';
}
