import type { PhysicalNetworkRecord, StorageRangeRecord, TrafficTypeRecord } from '../state/simulator-records';
import type { SimulatorState } from '../state/simulator-state';

/** PhysicalNetworkResponse; isolationmethods and tags are comma strings, absent when empty. */
export function presentPhysicalNetwork(network: PhysicalNetworkRecord, state: SimulatorState): Record<string, unknown> {
  return {
    id: network.id,
    name: network.name,
    broadcastdomainrange: network.broadcastDomainRange,
    zoneid: network.zoneId,
    zonename: state.zones.find((z) => z.id === network.zoneId)?.name,
    state: network.state,
    vlan: network.vlan,
    ...(network.tags.length ? { tags: network.tags.join(',') } : {}),
    ...(network.isolationMethods.length ? { isolationmethods: network.isolationMethods.join(',') } : {}),
  };
}

/** TrafficTypeResponse; an unset kvmnetworklabel is simply absent. */
export function presentTrafficType(traffic: TrafficTypeRecord): Record<string, unknown> {
  return {
    id: traffic.id,
    traffictype: traffic.trafficType,
    physicalnetworkid: traffic.physicalNetworkId,
    ...(traffic.kvmNetworkLabel ? { kvmnetworklabel: traffic.kvmNetworkLabel } : {}),
  };
}

/** StorageNetworkIpRangeResponse; vlan is a number, absent when untagged. */
export function presentStorageRange(range: StorageRangeRecord): Record<string, unknown> {
  return {
    id: range.id,
    startip: range.startIp,
    endip: range.endIp,
    netmask: range.netmask,
    gateway: range.gateway,
    vlan: range.vlan,
    podid: range.podId,
    zoneid: range.zoneId,
    networkid: range.networkId,
  };
}
