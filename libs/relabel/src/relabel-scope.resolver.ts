import type { Cluster, KvmHost, ZoneNetworkTopology } from '@hostnet/cloudstack';
import { compareNatural } from '@hostnet/intent';
import type { RelabelProblems } from './relabel-errors';
import type { MaintenanceMode, RelabelStrategyInput, ResolvedStrategy } from './relabel-plan.types';

/**
 * While one host of a cluster is in these states CloudStack refuses prepareHostForMaintenance for every other
 * host of the cluster (ResourceManagerImpl.maintain: "There are other servers attempting migrations").
 */
const STUCK_STATES = new Set(['PrepareForMaintenance', 'ErrorInPrepareForMaintenance']);

const isKvm = (hypervisor: string) => hypervisor.toUpperCase() === 'KVM';

export interface ResolvedScope {
  clusters: Cluster[];
  /** Hosts in scope, by cluster in natural order, hosts in natural order within a cluster. */
  hostsByCluster: Map<string, KvmHost[]>;
  hostCount: number;
}

/** Clusters by id or name (default: every KVM cluster) and their KVM hosts that are not Removed. */
export function resolveScope(topology: ZoneNetworkTopology, scope: string[] | undefined, problems: RelabelProblems): ResolvedScope {
  const kvmClusters = topology.clusters.filter((c) => isKvm(c.hypervisorType));
  const known = () => kvmClusters.map((c) => `${JSON.stringify(c.name)} (${c.id})`).join(', ') || 'none';
  let clusters: Cluster[];
  if (scope === undefined) {
    clusters = kvmClusters;
  } else {
    if (!Array.isArray(scope) || scope.length === 0) problems.add('scope', scope, 'is empty', 'leave scope out for every KVM cluster, or list cluster ids or names');
    clusters = [];
    (Array.isArray(scope) ? scope : []).forEach((ref, i) => {
      const hits = topology.clusters.filter((c) => c.id === ref || c.name === ref);
      if (hits.length !== 1) {
        problems.add(`scope[${i}]`, ref, hits.length === 0 ? `is not a cluster of zone ${JSON.stringify(topology.zone.name)}` : `names ${hits.length} clusters`, `use the id or name of one of ${known()}`);
      } else if (!isKvm(hits[0].hypervisorType)) {
        problems.add(`scope[${i}]`, ref, `is a ${hits[0].hypervisorType} cluster; KVM traffic labels do not apply to it`, `use one of ${known()}`);
      } else if (!clusters.includes(hits[0])) {
        clusters.push(hits[0]);
      }
    });
  }
  clusters = [...clusters].sort((a, b) => compareNatural(a.name, b.name));
  const hostsByCluster = new Map<string, KvmHost[]>(clusters.map((c) => [c.id, []]));
  for (const host of topology.hosts) {
    if (host.state === 'Removed' || !isKvm(host.hypervisor)) continue;
    hostsByCluster.get(host.clusterId)?.push(host);
  }
  let hostCount = 0;
  for (const [clusterId, hosts] of hostsByCluster) {
    hosts.sort((a, b) => compareNatural(a.name, b.name) || compareNatural(a.id, b.id));
    hostCount += hosts.length;
    for (const host of hosts) {
      if (STUCK_STATES.has(host.resourceState)) {
        problems.add(`hosts.${host.name}.resourceState`, host.resourceState, `blocks maintenance in cluster ${clusterId} (CloudStack refuses prepareHostForMaintenance while a host of the cluster is in PrepareForMaintenance/ErrorInPrepareForMaintenance)`, 'cancel or finish that maintenance first, or leave the cluster out of scope');
      }
    }
  }
  if (clusters.length > 0 && hostCount === 0) problems.add('scope', scope ?? clusters.map((c) => c.name), 'holds no KVM hosts', 'pick clusters that have KVM hosts');
  if (clusters.length === 0 && scope === undefined) problems.add('scope', null, `finds no KVM cluster in zone ${JSON.stringify(topology.zone.name)}`, 'add KVM clusters to the zone first');
  return { clusters, hostsByCluster, hostCount };
}

/**
 * KVM hosts of the zone (not Removed) in clusters outside the scope. A label belongs to a physical network of the
 * zone, so the flip reaches them too: the management server sends the new label with every NIC it plugs there and
 * checks it when they connect (CheckNetworkCommand), whether or not hostnet changed them.
 */
export function hostsOutOfScope(topology: ZoneNetworkTopology, scope: ResolvedScope): KvmHost[] {
  return topology.hosts
    .filter((h) => h.state !== 'Removed' && isKvm(h.hypervisor) && !scope.hostsByCluster.has(h.clusterId))
    .sort((a, b) => compareNatural(a.name, b.name) || compareNatural(a.id, b.id));
}

/** `3` or `'25%'` of `total`: percent rounds down (at least `min`), like Kubernetes' maxUnavailable. */
function countOrPercent(value: number | string, total: number, field: string, min: number, problems: RelabelProblems, round: (x: number) => number): number | null {
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= min) return value;
    problems.add(field, value, `is not an integer of at least ${min}`, `write a count like 2 or a percentage like "25%"`);
    return null;
  }
  const m = typeof value === 'string' ? /^(\d{1,3})%$/.exec(value.trim()) : null;
  if (!m || Number(m[1]) < 1 || Number(m[1]) > 100) {
    problems.add(field, value, 'is neither a count nor a percentage from 1% to 100%', 'write a count like 2 or a percentage like "25%"');
    return null;
  }
  return Math.max(min, round((Number(m[1]) * total) / 100));
}

const MODES: readonly MaintenanceMode[] = ['required', 'when-vms', 'never'];

/** Applies defaults (canary 1, maxUnavailable 1, abortAfter 1, maintenance required) and resolves percentages. */
export function resolveStrategy(input: RelabelStrategyInput | undefined, scope: ResolvedScope, problems: RelabelProblems): ResolvedStrategy {
  const s = input ?? {};
  const canary = s.canary ?? 1;
  if (!Number.isInteger(canary) || canary < 0) problems.add('strategy.canary', canary, 'is not a whole number of hosts', 'write 0 for no canary, or e.g. 1');
  else if (canary > scope.hostCount && scope.hostCount > 0) problems.add('strategy.canary', canary, `is more than the ${scope.hostCount} hosts in scope`, `use at most ${scope.hostCount}`);
  const maxUnavailable = s.maxUnavailable ?? 1;
  const maxUnavailableByCluster: Record<string, number> = {};
  for (const [clusterId, hosts] of scope.hostsByCluster) {
    const n = countOrPercent(maxUnavailable, hosts.length, 'strategy.maxUnavailable', 1, problems, Math.floor);
    if (n === null) break;
    maxUnavailableByCluster[clusterId] = n;
  }
  const abortAfter = countOrPercent(s.abortAfter ?? 1, scope.hostCount, 'strategy.abortAfter', 1, problems, Math.ceil) ?? 1;
  const maintenance = s.maintenance ?? 'required';
  if (!MODES.includes(maintenance)) problems.add('strategy.maintenance', maintenance, 'is not a maintenance mode', `use one of ${MODES.join(', ')}`);
  return { canary, maxUnavailable, maxUnavailableByCluster, abortAfter, maintenance };
}
