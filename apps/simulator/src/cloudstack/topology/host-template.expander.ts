import { formatIpv4, parseIpv4 } from '@hostnet/intent';
import type { ClusterSeed, HostSeed } from './simulator-topology';

/**
 * The hosts of a cluster: the listed ones followed by `hostTemplate.count` generated ones named
 * `<namePrefix><n>` (n from 1) with consecutive addresses from `ipStart`.
 */
export function expandClusterHosts(cluster: ClusterSeed): HostSeed[] {
  const template = cluster.hostTemplate;
  if (!template) return [...cluster.hosts];
  const first = parseIpv4(template.ipStart);
  if (first === null) throw new Error(`hostTemplate.ipStart of cluster ${cluster.name}: ${JSON.stringify(template.ipStart)} is not a dotted-quad IPv4 address; fix: write it like 10.0.100.11`);
  if (first + template.count - 1 > 0xffffffff) {
    throw new Error(`hostTemplate of cluster ${cluster.name}: ${template.count} addresses from ${template.ipStart} overflow IPv4`);
  }
  const generated: HostSeed[] = Array.from({ length: template.count }, (_, i) => ({
    name: `${template.namePrefix}${i + 1}`,
    ipAddress: formatIpv4(first + i),
    state: template.state,
    resourceState: template.resourceState,
  }));
  return [...cluster.hosts, ...generated];
}
