import type { ClusterRecord, PodRecord, ZoneRecord } from '../state/simulator-records';
import type { SimulatorState } from '../state/simulator-state';

/** ZoneResponse (the fields an Advanced zone reports). */
export function presentZone(zone: ZoneRecord): Record<string, unknown> {
  return {
    id: zone.id,
    name: zone.name,
    dns1: zone.dns1,
    dns2: zone.dns2,
    internaldns1: zone.internalDns1,
    internaldns2: zone.internalDns2,
    guestcidraddress: zone.guestCidrAddress,
    networktype: zone.networkType,
    securitygroupsenabled: false,
    allocationstate: zone.allocationState,
    dhcpprovider: 'VirtualRouter',
    domain: zone.domain,
    localstorageenabled: false,
    tags: [],
    hasannotations: false,
    type: 'Core',
  };
}

/** PodResponse; startip/endip are lists as in CloudStack 4.13+ (one entry per management IP range). */
export function presentPod(pod: PodRecord, state: SimulatorState): Record<string, unknown> {
  const zone = state.zones.find((z) => z.id === pod.zoneId);
  const ranges = pod.startIp && pod.endIp
    ? [{ gateway: pod.gateway, startip: pod.startIp, endip: pod.endIp, forsystemvms: '0', vlanid: 'untagged' }]
    : [];
  return {
    id: pod.id,
    name: pod.name,
    zoneid: pod.zoneId,
    zonename: zone?.name,
    gateway: pod.gateway,
    netmask: pod.netmask,
    ...(ranges.length ? { startip: [pod.startIp], endip: [pod.endIp] } : {}),
    ...(ranges.length ? { ipranges: ranges } : {}),
    allocationstate: pod.allocationState,
    hasannotations: false,
  };
}

/** ClusterResponse for a KVM CloudManaged cluster. */
export function presentCluster(cluster: ClusterRecord, state: SimulatorState): Record<string, unknown> {
  return {
    id: cluster.id,
    name: cluster.name,
    podid: cluster.podId,
    podname: state.pods.find((p) => p.id === cluster.podId)?.name,
    zoneid: cluster.zoneId,
    zonename: state.zones.find((z) => z.id === cluster.zoneId)?.name,
    hypervisortype: 'KVM',
    clustertype: 'CloudManaged',
    allocationstate: cluster.allocationState,
    managedstate: 'Managed',
    cpuovercommitratio: '1.0',
    memoryovercommitratio: '1.0',
    resourcedetails: { cpuOvercommitRatio: '1.0', memoryOvercommitRatio: '1.0' },
    hasannotations: false,
  };
}
