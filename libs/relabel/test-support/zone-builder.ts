import type { KvmHost, PhysicalNetworkTopology, ZoneNetworkTopology } from '@hostnet/cloudstack';

export interface ZoneShape {
  /** Hosts per cluster, in cluster order (cluster names cluster1, cluster2, ...). */
  clusterSizes: number[];
  /** Pods the clusters are spread over, round-robin. */
  pods?: number;
}

const id = (kind: string, n: number) => `${kind}-${String(n).padStart(6, '0')}`;

/**
 * A zone shaped like the lab's: physical network 1 carries Management and Guest on cloudbr0 (guest VLANs
 * 500-999) and Storage on cloudbr100 (storage range VLAN 100); physical network 2 carries Public on cloudbr1.
 * Host ids are `host-<n>`, names `kvm<n>` numbered through the zone.
 */
export function buildZone(shape: ZoneShape): ZoneNetworkTopology {
  const zoneId = 'zone-1';
  const pods = Array.from({ length: shape.pods ?? 1 }, (_, p) => ({ id: id('pod', p + 1), name: `pod${p + 1}`, zoneId, gateway: '10.0.0.1', netmask: '255.255.255.0' }));
  const clusters = shape.clusterSizes.map((_, c) => ({ id: id('cluster', c + 1), name: `cluster${c + 1}`, podId: pods[c % pods.length].id, zoneId, hypervisorType: 'KVM' }));
  const hosts: KvmHost[] = [];
  shape.clusterSizes.forEach((size, c) => {
    for (let i = 0; i < size; i++) {
      const n = hosts.length + 1;
      hosts.push({ id: `host-${n}`, name: `kvm${n}`, ipAddress: `10.1.${Math.floor(n / 250)}.${(n % 250) + 1}`, zoneId, podId: clusters[c].podId, clusterId: clusters[c].id, state: 'Up', resourceState: 'Enabled', hypervisor: 'KVM' });
    }
  });
  const label = (tid: string, pn: string, trafficType: 'Management' | 'Guest' | 'Public' | 'Storage', l: string) => ({
    id: tid, trafficType, physicalNetworkId: pn, kvmNetworkLabel: l, effectiveLabel: l, labelSource: 'cloudstack' as const,
  });
  const physicalNetworks: PhysicalNetworkTopology[] = [
    {
      id: 'pn-1', name: 'Physical Network 1', zoneId, isolationMethods: ['VLAN'], vlanRanges: [{ start: 500, end: 999 }], tags: [],
      trafficTypes: [label('tt-mgmt', 'pn-1', 'Management', 'cloudbr0'), label('tt-guest', 'pn-1', 'Guest', 'cloudbr0'), label('tt-storage', 'pn-1', 'Storage', 'cloudbr100')],
    },
    { id: 'pn-2', name: 'Physical Network 2', zoneId, isolationMethods: ['VLAN'], vlanRanges: [], tags: [], trafficTypes: [label('tt-public', 'pn-2', 'Public', 'cloudbr1')] },
  ];
  const storageRanges = pods.map((p, i) => ({ id: `sr-${i + 1}`, zoneId, podId: p.id, startIp: '10.9.0.10', endIp: '10.9.0.200', netmask: '255.255.255.0', vlan: 100 }));
  return { zone: { id: zoneId, name: 'zone1', networkType: 'Advanced' }, pods, clusters, hosts, physicalNetworks, storageRanges, warnings: [] };
}
