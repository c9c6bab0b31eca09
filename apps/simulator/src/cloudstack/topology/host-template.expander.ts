import { ipv4ToNumber, numberToIpv4 } from './ipv4';
import type { ClusterSeed, HostSeed } from './simulator-topology';

/**
 * The hosts of a cluster: the listed ones followed by `hostTemplate.count` generated ones named
 * `<namePrefix><n>` (n from 1) with consecutive addresses from `ipStart`.
 */
export function expandClusterHosts(cluster: ClusterSeed): HostSeed[] {
  const template = cluster.hostTemplate;
  if (!template) return [...cluster.hosts];
  const first = ipv4ToNumber(template.ipStart);
  if (first + template.count - 1 > 0xffffffff) {
    throw new Error(`hostTemplate of cluster ${cluster.name}: ${template.count} addresses from ${template.ipStart} overflow IPv4`);
  }
  const generated: HostSeed[] = Array.from({ length: template.count }, (_, i) => ({
    name: `${template.namePrefix}${i + 1}`,
    ipAddress: numberToIpv4(first + i),
    state: template.state,
    resourceState: template.resourceState,
  }));
  return [...cluster.hosts, ...generated];
}
