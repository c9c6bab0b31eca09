import { formatCloudStackDate } from '../protocol/cloudstack-date';
import type { HostRecord } from '../state/simulator-records';
import type { SimulatorState } from '../state/simulator-state';

/** HostResponse as listHosts/updateHost/addHost return it for a KVM Routing host. */
export function presentHost(host: HostRecord, state: SimulatorState): Record<string, unknown> {
  const zone = state.zones.find((z) => z.id === host.zoneId);
  const pod = state.pods.find((p) => p.id === host.podId);
  const cluster = state.clusters.find((c) => c.id === host.clusterId);
  return {
    id: host.id,
    name: host.name,
    state: host.state,
    ...(host.disconnected ? { disconnected: formatCloudStackDate(host.disconnected) } : {}),
    type: 'Routing',
    ipaddress: host.ipAddress,
    zoneid: host.zoneId,
    zonename: zone?.name,
    podid: host.podId,
    podname: pod?.name,
    version: host.agentVersion ?? state.cloudstackVersion,
    hypervisor: 'KVM',
    cpusockets: 1,
    cpunumber: 4,
    cpuspeed: 2400,
    cpuallocated: '0%',
    cpuallocatedvalue: 0,
    cpuallocatedpercentage: '0%',
    cpuallocatedwithoverprovisioning: '0%',
    cpuused: '0%',
    cpuwithoverprovisioning: '9600',
    cpuloadaverage: 0,
    memorytotal: 8589934592,
    memorywithoverprovisioning: '8589934592',
    memoryallocated: 0,
    memoryallocatedpercentage: '0%',
    memoryallocatedbytes: 0,
    memoryused: 0,
    networkkbsread: 0,
    networkkbswrite: 0,
    capabilities: 'hvm,snapshot',
    clusterid: host.clusterId,
    clustername: cluster?.name,
    clustertype: 'CloudManaged',
    islocalstorageactive: false,
    created: formatCloudStackDate(host.created),
    events: 'AgentConnected; AgentDisconnected; HostDown; Ping; PingTimeout; Remove; ShutdownRequested; StartAgentRebalance; ManagementServerDown',
    ...(host.hostTags ? { hosttags: host.hostTags } : {}),
    hasenoughcapacity: false,
    hahost: false,
    resourcestate: host.resourceState,
    hostha: { haenable: false, hastate: 'Disabled' },
    outofbandmanagement: { enabled: false, powerstate: 'Disabled' },
    hasannotations: false,
    ueficapability: false,
    encryptionsupported: true,
    arch: 'x86_64',
  };
}
