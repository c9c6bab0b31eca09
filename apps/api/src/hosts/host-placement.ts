import type { KvmHost, ZoneNetworkTopology } from '@hostnet/cloudstack';
import type { HostStatusRecord } from './host-status.types';

/** Where a host sits, as a status record names it: ids from the host, names from its zone's topology. */
export function hostPlacement(host: KvmHost, topology: ZoneNetworkTopology): Pick<HostStatusRecord, 'hostId' | 'hostName' | 'zoneId' | 'podId' | 'clusterId' | 'zoneName' | 'podName' | 'clusterName'> {
  const clusterName = topology.clusters.find((c) => c.id === host.clusterId)?.name;
  const podName = topology.pods.find((p) => p.id === host.podId)?.name;
  return {
    hostId: host.id,
    hostName: host.name,
    zoneId: host.zoneId,
    podId: host.podId,
    clusterId: host.clusterId,
    zoneName: topology.zone.name,
    ...(podName ? { podName } : {}),
    ...(clusterName ? { clusterName } : {}),
  };
}
