import { CloudStackClient } from '../client/cloudstack-client';
import { TrafficType } from '../domain/cloudstack-records';
import {
  PhysicalNetworkTopology,
  TopologyWarning,
  TrafficTypeName,
  Zone,
  ZoneNetworkTopology,
} from '../domain/zone-network-topology';
import { cloudStackVersionOrUndefined } from '../mapping/cloudstack-version';
import { AgentDevice, resolveAgentDevices, withEffectiveLabel } from './kvm-label.resolver';
import { NoKvmHostsError } from './topology-errors';
import { selectZone } from './zone-selector';

/** The client calls topology discovery needs (a CloudStackClient, or a fake in unit tests). */
export type TopologySource = Pick<
  CloudStackClient,
  | 'listZones'
  | 'listPods'
  | 'listClusters'
  | 'listHosts'
  | 'listPhysicalNetworks'
  | 'listTrafficTypes'
  | 'listStorageNetworkIpRanges'
  | 'listCapabilities'
>;

/** Options of getTopology. */
export interface TopologyOptions {
  /** Throw NoKvmHostsError instead of warning when the zone has no KVM hosts. */
  requireKvmHosts?: boolean;
}

/**
 * Reads one zone's networking into a ZoneNetworkTopology with a bounded number of list calls:
 * zones, pods, clusters, hosts, physical networks, one listTrafficTypes per physical network,
 * storage ranges and the management server's version (listCapabilities) — never a call per host.
 */
export class ZoneTopologyService {
  constructor(private readonly source: TopologySource) {}

  /** The topology of the zone with this id or name. */
  async getTopology(zoneIdOrName: string, options: TopologyOptions = {}): Promise<ZoneNetworkTopology> {
    const zone = selectZone(await this.source.listZones(), zoneIdOrName);
    const [pods, clusters, hosts, networks, storageRanges, capabilities] = await Promise.all([
      this.source.listPods(zone.id),
      this.source.listClusters(zone.id),
      this.source.listHosts({ zoneId: zone.id }),
      this.source.listPhysicalNetworks(zone.id),
      this.source.listStorageNetworkIpRanges(zone.id),
      this.source.listCapabilities(),
    ]);
    if (hosts.length === 0 && options.requireKvmHosts) throw new NoKvmHostsError(zone.id, zone.name);
    const trafficByNetwork = await Promise.all(networks.map((n) => this.source.listTrafficTypes(n.id)));
    const devices = resolveAgentDevices(trafficByNetwork.flat());
    const physicalNetworks: PhysicalNetworkTopology[] = networks.map((n, i) => ({
      ...n,
      trafficTypes: (trafficByNetwork[i] ?? []).map((t) => withEffectiveLabel(t, devices)),
    }));

    const warnings: TopologyWarning[] = [
      ...labelWarnings(networks, trafficByNetwork, devices),
      ...missingTrafficWarnings(zone, trafficByNetwork.flat()),
      ...pods
        .filter((p) => p.gateway === '')
        .map((p): TopologyWarning => ({
          code: 'pod-without-gateway',
          message: `pod ${JSON.stringify(p.name)} (${p.id}) has no gateway; management addresses cannot get a default route from it`,
        })),
    ];
    const topology: ZoneNetworkTopology = { zone, pods, clusters, hosts, physicalNetworks, storageRanges, warnings: [...warnings, ...hostWarnings(zone, hosts)] };
    const cloudstackVersion = cloudStackVersionOrUndefined(capabilities.cloudStackVersion);
    if (cloudstackVersion !== undefined) topology.cloudstackVersion = cloudstackVersion;
    return topology;
  }

  /**
   * The same zone with only its hosts listed again (listHosts pages, nothing else): what a pass over
   * a known zone needs. Undefined when a host is new or sits in a pod or cluster `topology` does not
   * know, since then the rest of the zone may have changed too and must be read again.
   */
  async refreshHosts(topology: ZoneNetworkTopology): Promise<ZoneNetworkTopology | undefined> {
    const hosts = await this.source.listHosts({ zoneId: topology.zone.id });
    const known = new Set(topology.hosts.map((h) => h.id));
    const pods = new Set(topology.pods.map((p) => p.id));
    const clusters = new Set(topology.clusters.map((c) => c.id));
    if (hosts.some((h) => !known.has(h.id) || !pods.has(h.podId) || !clusters.has(h.clusterId))) return undefined;
    const staticWarnings = topology.warnings.filter((w) => w.code !== 'no-kvm-hosts');
    return { ...topology, hosts, warnings: [...staticWarnings, ...hostWarnings(topology.zone, hosts)] };
  }
}

function hostWarnings(zone: Zone, hosts: readonly unknown[]): TopologyWarning[] {
  return hosts.length === 0 ? [{ code: 'no-kvm-hosts', message: `zone ${JSON.stringify(zone.name)} has no KVM hosts yet` }] : [];
}

function labelWarnings(
  networks: Array<{ id: string; name: string }>,
  trafficByNetwork: TrafficType[][],
  devices: Record<TrafficTypeName, AgentDevice>,
): TopologyWarning[] {
  const out: TopologyWarning[] = [];
  networks.forEach((n, i) => {
    for (const t of trafficByNetwork[i] ?? []) {
      if (t.kvmNetworkLabel !== null) continue;
      const d = devices[t.trafficType];
      out.push({
        code: 'label-missing',
        physicalNetworkId: n.id,
        trafficType: t.trafficType,
        message:
          `${t.trafficType} traffic on physical network ${JSON.stringify(n.name)} has no KVM label; ` +
          `the KVM agent would use ${JSON.stringify(d.device)} (${d.origin})`,
      });
    }
  });
  return out;
}

function missingTrafficWarnings(zone: Zone, all: TrafficType[]): TopologyWarning[] {
  const required: TrafficTypeName[] = zone.networkType === 'Basic' ? ['Management', 'Guest'] : ['Management', 'Guest', 'Public'];
  return required
    .filter((name) => !all.some((t) => t.trafficType === name))
    .map((name) => ({
      code: 'traffic-type-missing' as const,
      trafficType: name,
      message: `zone ${JSON.stringify(zone.name)} has no ${name} traffic type on any physical network`,
    }));
}
