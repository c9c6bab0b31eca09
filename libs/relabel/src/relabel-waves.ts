import type { KvmHost } from '@hostnet/cloudstack';
import type { ResolvedScope } from './relabel-scope.resolver';

export interface HostWaves {
  /** One host per canary wave, taken round-robin across clusters so a bad cluster shows up early. */
  canary: KvmHost[];
  /** Each wave takes at most maxUnavailable[cluster] hosts from every cluster, in natural host order. */
  waves: KvmHost[][];
}

/** Orders the contract phase: canary hosts first, then waves bounded per cluster. */
export function planHostWaves(scope: ResolvedScope, canaryCount: number, maxUnavailableByCluster: Record<string, number>): HostWaves {
  const queues = scope.clusters.map((c) => ({ clusterId: c.id, hosts: [...(scope.hostsByCluster.get(c.id) ?? [])] }));
  const canary: KvmHost[] = [];
  while (canary.length < canaryCount && queues.some((q) => q.hosts.length > 0)) {
    for (const q of queues) {
      if (canary.length >= canaryCount) break;
      const host = q.hosts.shift();
      if (host) canary.push(host);
    }
  }
  const waves: KvmHost[][] = [];
  while (queues.some((q) => q.hosts.length > 0)) {
    const wave: KvmHost[] = [];
    for (const q of queues) wave.push(...q.hosts.splice(0, Math.max(1, maxUnavailableByCluster[q.clusterId] ?? 1)));
    waves.push(wave);
  }
  return { canary, waves };
}
