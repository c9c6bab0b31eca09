import { expandClusterHosts } from '../topology/host-template.expander';
import type { SimulatorTopology, ZoneSeed } from '../topology/simulator-topology';
import { deterministicUuid } from './deterministic-uuid';
import type {
  ClusterRecord, HostRecord, HostStatus, PhysicalNetworkRecord, PodRecord, ResourceState, SimulatedSystemVm,
  StorageRangeRecord, TrafficTypeRecord, VmPlacement, ZoneRecord,
} from './simulator-records';
import { zoneKvmLabels } from './zone-kvm-labels';

/** What a test or the demo passes to add a host record directly (bypassing addHost). */
export interface NewHostRecord {
  name: string;
  ipAddress: string;
  /** Cluster id or name; defaults to the first cluster. */
  cluster?: string;
  state?: HostStatus;
  resourceState?: ResourceState;
  id?: string;
  agentVersion?: string;
}

/** The simulated cloud's data: seeded from a topology, changed by API calls, tests and the demo. */
export class SimulatorState {
  /** VMs a host can run unless its record says otherwise. */
  static readonly DEFAULT_VM_CAPACITY = 20;
  readonly zones: ZoneRecord[] = [];
  readonly pods: PodRecord[] = [];
  readonly clusters: ClusterRecord[] = [];
  readonly hosts: HostRecord[] = [];
  readonly physicalNetworks: PhysicalNetworkRecord[] = [];
  readonly trafficTypes: TrafficTypeRecord[] = [];
  readonly storageRanges: StorageRangeRecord[] = [];
  /** Every change of a host's running VMs, oldest first. */
  readonly vmPlacements: VmPlacement[] = [];
  readonly cloudstackVersion: string;
  private readonly seedCreated: Date;
  private generated = 0;

  constructor(topology: SimulatorTopology) {
    this.cloudstackVersion = topology.cloudstackVersion;
    this.seedCreated = new Date(topology.createdAt);
    topology.zones.forEach((zone) => this.seedZone(zone));
  }

  /** Adds a host as if CloudStack had just discovered it; returns the stored record. */
  addHostRecord(input: NewHostRecord): HostRecord {
    const cluster = input.cluster
      ? this.clusters.find((c) => c.id === input.cluster || c.name === input.cluster)
      : this.clusters[0];
    if (!cluster) throw new Error(`addHostRecord: unknown cluster ${input.cluster ?? '(none seeded)'}`);
    if (this.hosts.some((h) => h.ipAddress === input.ipAddress || h.name === input.name)) {
      throw new Error(`addHostRecord: a host named ${input.name} or at ${input.ipAddress} already exists`);
    }
    const host: HostRecord = {
      id: input.id ?? this.nextUuid(`host:${input.ipAddress}`),
      name: input.name,
      ipAddress: input.ipAddress,
      zoneId: cluster.zoneId,
      podId: cluster.podId,
      clusterId: cluster.id,
      state: input.state ?? 'Up',
      resourceState: input.resourceState ?? 'Enabled',
      created: new Date(),
      ...(input.agentVersion === undefined ? {} : { agentVersion: input.agentVersion }),
    };
    this.hosts.push(host);
    return host;
  }

  /** Changes a host's status (and optionally resource state); `idOrName` is the host's id or name. */
  setHostState(idOrName: string, state: HostStatus, resourceState?: ResourceState): HostRecord {
    const host = this.hosts.find((h) => h.id === idOrName || h.name === idOrName);
    if (!host) throw new Error(`setHostState: unknown host ${idOrName}`);
    if (state !== 'Up' && host.state === 'Up') host.disconnected = new Date();
    host.state = state;
    if (resourceState) host.resourceState = resourceState;
    return host;
  }

  /** Sets a host's running VMs (and optionally its capacity); `idOrName` is the host's id or name. */
  setRunningVms(idOrName: string, runningVms: number, vmCapacity?: number): HostRecord {
    const host = this.hosts.find((h) => h.id === idOrName || h.name === idOrName);
    if (!host) throw new Error(`setRunningVms: unknown host ${idOrName}`);
    if (!Number.isInteger(runningVms) || runningVms < 0) throw new Error(`setRunningVms: ${runningVms} is not a VM count`);
    if (vmCapacity !== undefined) host.vmCapacity = vmCapacity;
    this.clearVms(host);
    this.addVms(host, runningVms);
    return host;
  }

  /** A virtual router or system VM runs on the host (`idOrName`) from now on. */
  addSystemVm(idOrName: string, vm: SimulatedSystemVm): HostRecord {
    const host = this.hosts.find((h) => h.id === idOrName || h.name === idOrName);
    if (!host) throw new Error(`addSystemVm: unknown host ${idOrName}`);
    host.systemVms = [...(host.systemVms ?? []), { ...vm }];
    return host;
  }

  /**
   * `count` VMs start on or migrate to `host`. The management server names each NIC by the label of its
   * traffic type at that moment (HypervisorGuruBase.toNicTO), so their NICs use the zone's Guest and Public
   * labels as they are now: after a label flip, arriving VMs need the new bridge.
   */
  addVms(host: HostRecord, count: number): void {
    if (count === 0) return;
    const labels = zoneKvmLabels(this, host.zoneId);
    const bridges = { ...host.vmBridges };
    for (const bridge of new Set([labels.guest, labels.public])) bridges[bridge] = (bridges[bridge] ?? 0) + count;
    host.runningVms = (host.runningVms ?? 0) + count;
    this.placeVms(host, bridges);
  }

  /** Every VM of `host` left it (migrated away or stopped). */
  clearVms(host: HostRecord): void {
    host.runningVms = 0;
    this.placeVms(host, {});
  }

  private placeVms(host: HostRecord, bridges: Record<string, number>): void {
    host.vmBridges = bridges;
    this.vmPlacements.push({ at: new Date(), hostId: host.id, hostName: host.name, bridges: { ...bridges } });
  }

  /** Removes a host record; returns false when there was none. */
  removeHost(idOrName: string): boolean {
    const index = this.hosts.findIndex((h) => h.id === idOrName || h.name === idOrName);
    if (index < 0) return false;
    this.hosts.splice(index, 1);
    return true;
  }

  /** A fresh UUID that is still reproducible run to run (derived from a counter and a hint). */
  nextUuid(hint: string): string {
    this.generated += 1;
    return deterministicUuid(`generated:${this.generated}:${hint}`);
  }

  private seedZone(zone: ZoneSeed): void {
    const zoneId = zone.id ?? deterministicUuid(`zone:${zone.name}`);
    this.zones.push({
      id: zoneId, name: zone.name, networkType: zone.networkType, allocationState: zone.allocationState,
      dns1: zone.dns1, dns2: zone.dns2, internalDns1: zone.internalDns1, internalDns2: zone.internalDns2,
      guestCidrAddress: zone.guestCidrAddress, domain: zone.domain,
    });
    const podIds = new Map<string, string>();
    for (const pod of zone.pods) {
      const podId = pod.id ?? deterministicUuid(`pod:${zone.name}/${pod.name}`);
      podIds.set(pod.name, podId);
      this.pods.push({
        id: podId, name: pod.name, zoneId, gateway: pod.gateway, netmask: pod.netmask,
        startIp: pod.startIp, endIp: pod.endIp, allocationState: pod.allocationState,
      });
      for (const cluster of pod.clusters) {
        const clusterId = cluster.id ?? deterministicUuid(`cluster:${zone.name}/${pod.name}/${cluster.name}`);
        this.clusters.push({ id: clusterId, name: cluster.name, zoneId, podId, allocationState: cluster.allocationState });
        for (const host of expandClusterHosts(cluster)) {
          this.hosts.push({
            id: host.id ?? deterministicUuid(`host:${zone.name}/${host.name}`),
            name: host.name, ipAddress: host.ipAddress, zoneId, podId, clusterId,
            state: host.state, resourceState: host.resourceState, created: this.seedCreated,
            ...(host.state === 'Up' ? {} : { disconnected: this.seedCreated }),
            ...(host.agentVersion === undefined ? {} : { agentVersion: host.agentVersion }),
          });
        }
      }
    }
    for (const network of zone.physicalNetworks) {
      const networkId = network.id ?? deterministicUuid(`physicalnetwork:${zone.name}/${network.name}`);
      this.physicalNetworks.push({
        id: networkId, name: network.name, zoneId, state: network.state, vlan: network.vlan,
        isolationMethods: network.isolationMethods, broadcastDomainRange: network.broadcastDomainRange, tags: network.tags,
      });
      for (const traffic of network.trafficTypes) {
        this.trafficTypes.push({
          id: traffic.id ?? deterministicUuid(`traffictype:${zone.name}/${network.name}/${traffic.type}`),
          physicalNetworkId: networkId,
          trafficType: traffic.type,
          ...(traffic.kvmNetworkLabel ? { kvmNetworkLabel: traffic.kvmNetworkLabel } : {}),
        });
      }
    }
    zone.storageRanges.forEach((range, index) => {
      this.storageRanges.push({
        id: range.id ?? deterministicUuid(`storagerange:${zone.name}/${index}`),
        zoneId, podId: podIds.get(range.pod)!, startIp: range.startIp, endIp: range.endIp,
        netmask: range.netmask, gateway: range.gateway, vlan: range.vlan,
        networkId: deterministicUuid(`storagenetwork:${zone.name}`),
      });
    });
  }
}
