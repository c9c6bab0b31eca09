import type { KvmHost, ZoneNetworkTopology } from '@hostnet/cloudstack';
import { namedAs } from '@hostnet/contracts';
import type { Ipv4Address } from '../domain/host-network-intent';
import type { ViolationList } from '../validation/intent-violation';
import { hostAddressProblem, inSubnet, isValidIpv4, netmaskToPrefix, parseIpv4 } from '../validation/ipv4.validator';
import { domainNameProblem } from '../validation/network-values.validator';
import type { HostPlacement } from '../profile/profile.selector';

/** The host, where it sits, and its management addressing from CloudStack. */
export interface ResolvedHost extends HostPlacement {
  managementAddress: Ipv4Address;
  gateway: string;
  hostname: string;
}

/** Finds the host by id (or unique name) and checks what CloudStack says about it; null when it cannot go on. */
export function resolveHost(topology: ZoneNetworkTopology, hostId: string, errors: ViolationList): ResolvedHost | null {
  const index = findHost(topology, hostId);
  if (index < 0) {
    errors.add('hostId', hostId, `is not a host of zone ${topology.zone.name}`, `use a host name or id: ${topology.hosts.map((h) => `${JSON.stringify(h.name)} (${h.id})`).join(', ') || '(the zone has no hosts)'}`);
    return null;
  }
  const host = topology.hosts[index];
  const at = `topology.hosts[${index}]`;
  const startCount = errors.items.length;
  if (host.zoneId !== topology.zone.id) {
    errors.add(`${at}.zoneId`, host.zoneId, `is not the topology's zone ${topology.zone.id}`, 'fetch the topology of the host\'s own zone');
  }
  if (host.hypervisor.toUpperCase() !== 'KVM') {
    errors.add(`${at}.hypervisor`, host.hypervisor, 'is not KVM', 'hostnet configures KVM hosts only');
  }
  const shortName = host.name.split('.')[0];
  errors.addProblem(`${at}.name`, host.name, domainNameProblem(host.name)?.replace('; fix: ', '; fix: rename the host in CloudStack; ') ?? null);
  const podIndex = topology.pods.findIndex((p) => p.id === host.podId);
  const pod = topology.pods[podIndex];
  const cluster = topology.clusters.find((c) => c.id === host.clusterId);
  if (!pod) {
    errors.add(`${at}.podId`, host.podId, 'is not a pod of the topology', 'refresh the topology; the pod must be listed');
    return null;
  }
  const prefix = netmaskToPrefix(pod.netmask);
  if (prefix === null) errors.add(`topology.pods[${podIndex}].netmask`, pod.netmask, 'is not a contiguous IPv4 netmask', 'set the pod netmask in CloudStack, e.g. 255.255.255.0');
  if (!isValidIpv4(pod.gateway)) errors.add(`topology.pods[${podIndex}].gateway`, pod.gateway, 'is not an IPv4 address', 'set the pod gateway in CloudStack');
  if (!isValidIpv4(host.ipAddress)) errors.add(`${at}.ipAddress`, host.ipAddress, 'is not an IPv4 address', 'check the host\'s address in CloudStack');
  if (errors.items.length > startCount || prefix === null) return null;
  const addressProblem = hostAddressProblem(host.ipAddress, prefix);
  errors.addProblem(`${at}.ipAddress`, `${host.ipAddress}/${prefix}`, addressProblem);
  const address = parseIpv4(host.ipAddress) as number;
  const gateway = parseIpv4(pod.gateway) as number;
  if (!inSubnet(gateway, address, prefix)) {
    errors.add(`topology.pods[${podIndex}].gateway`, pod.gateway, `is outside the host's subnet ${host.ipAddress}/${prefix}`, 'the pod gateway must be inside the pod\'s management subnet; fix the pod or the host address in CloudStack');
  } else if (gateway === address) {
    errors.add(`topology.pods[${podIndex}].gateway`, pod.gateway, 'equals the host\'s own address', 'fix the pod gateway or the host address in CloudStack');
  }
  return {
    host,
    zone: topology.zone,
    pod,
    cluster,
    managementAddress: { address: host.ipAddress, prefix },
    gateway: pod.gateway,
    hostname: shortName,
  };
}

/** Host id → index per hosts array: a zone-wide render looks up every host, which a scan makes quadratic. */
const hostIndexes = new WeakMap<readonly KvmHost[], Map<string, number>>();

function findHost(topology: ZoneNetworkTopology, hostId: string): number {
  let indexes = hostIndexes.get(topology.hosts);
  if (!indexes) hostIndexes.set(topology.hosts, (indexes = new Map(topology.hosts.map((h, i) => [h.id, i]))));
  const cached = indexes.get(hostId);
  // checked against the array, so a topology changed in place falls back to the scan below
  if (cached !== undefined && topology.hosts[cached]?.id === hostId) return cached;
  const byId = topology.hosts.findIndex((h: KvmHost) => h.id === hostId);
  if (byId >= 0) return byId;
  // by name, exactly or else in any case (as api and the CLI take names), when it names one host
  const byName = namedAs(topology.hosts, hostId, (h) => h.name);
  return byName.length === 1 ? topology.hosts.indexOf(byName[0]) : -1;
}
