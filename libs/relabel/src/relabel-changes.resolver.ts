import type { PhysicalNetworkTopology, TrafficTypeLabel, TrafficTypeName, ZoneNetworkTopology } from '@hostnet/cloudstack';
import { labelNameProblem } from '@hostnet/intent';
import type { RelabelProblems } from './relabel-errors';
import type { RelabelChangeInput, ResolvedChange } from './relabel-plan.types';

const TRAFFIC_TYPES: readonly TrafficTypeName[] = ['Management', 'Guest', 'Public', 'Storage'];

function describeNetworks(topology: ZoneNetworkTopology): string {
  return topology.physicalNetworks.map((n) => `${JSON.stringify(n.name)} (${n.id})`).join(', ') || 'none';
}

function findNetwork(topology: ZoneNetworkTopology, ref: string, field: string, problems: RelabelProblems): PhysicalNetworkTopology | null {
  const hits = topology.physicalNetworks.filter((n) => n.id === ref || n.name === ref);
  if (hits.length === 1) return hits[0];
  if (hits.length === 0) {
    problems.add(field, ref, `is not a physical network of zone ${JSON.stringify(topology.zone.name)}`, `use the id or name of one of ${describeNetworks(topology)}`);
  } else {
    problems.add(field, ref, `names ${hits.length} physical networks`, `use the id instead: ${hits.map((n) => n.id).join(', ')}`);
  }
  return null;
}

function findTraffic(network: PhysicalNetworkTopology, ref: string, field: string, problems: RelabelProblems): TrafficTypeLabel | null {
  const present = network.trafficTypes.map((t) => t.trafficType);
  const name = TRAFFIC_TYPES.find((t) => t.toLowerCase() === String(ref).toLowerCase());
  const hit = name === undefined ? undefined : network.trafficTypes.find((t) => t.trafficType === name);
  if (hit) return hit;
  const why = name === undefined ? `is not a KVM traffic type (${TRAFFIC_TYPES.join(', ')})` : `is not carried by physical network ${JSON.stringify(network.name)}`;
  problems.add(field, ref, why, `use one of the traffic types it carries: ${present.join(', ') || 'none'}`);
  return null;
}

/** Every traffic type of the zone with its bridge, to check uniqueness and bridge splits. */
function zoneLabels(topology: ZoneNetworkTopology): Array<{ network: PhysicalNetworkTopology; traffic: TrafficTypeLabel }> {
  return topology.physicalNetworks.flatMap((network) => network.trafficTypes.map((traffic) => ({ network, traffic })));
}

/**
 * Resolves `changes` against the zone: physical network and traffic type must exist, the new label must be a
 * valid, unreserved bridge name that no traffic type of the zone uses yet, and a bridge shared by several
 * labelled traffic types is renamed for all of them or none (a half-renamed bridge would need two untagged
 * bridges on one uplink).
 */
export function resolveChanges(topology: ZoneNetworkTopology, changes: RelabelChangeInput[], problems: RelabelProblems): ResolvedChange[] {
  if (!Array.isArray(changes) || changes.length === 0) {
    problems.add('changes', changes, 'is empty', 'give at least one { physicalNetwork, trafficType, newLabel }');
    return [];
  }
  const labels = zoneLabels(topology);
  const used = new Map(labels.map((l) => [l.traffic.effectiveLabel, l]));
  const resolved: ResolvedChange[] = [];
  const seen = new Map<string, number>();
  changes.forEach((change, i) => {
    const at = `changes[${i}]`;
    const network = findNetwork(topology, change.physicalNetwork, `${at}.physicalNetwork`, problems);
    const traffic = network && findTraffic(network, change.trafficType, `${at}.trafficType`, problems);
    const labelOk = problems.addProblem(`${at}.newLabel`, change.newLabel, labelNameProblem(change.newLabel));
    if (!network || !traffic || !labelOk) return;
    const key = traffic.id;
    if (seen.has(key)) {
      problems.add(at, `${network.name}/${traffic.trafficType}`, `repeats changes[${seen.get(key)}]`, 'give each (physical network, traffic type) once');
      return;
    }
    seen.set(key, i);
    if (change.newLabel === traffic.effectiveLabel) {
      problems.add(`${at}.newLabel`, change.newLabel, `is already the ${traffic.trafficType} label of ${JSON.stringify(network.name)}`, 'give a new bridge name, or drop this change');
      return;
    }
    const owner = used.get(change.newLabel);
    if (owner) {
      problems.add(`${at}.newLabel`, change.newLabel, `is already used by ${owner.traffic.trafficType} on ${JSON.stringify(owner.network.name)}; the new bridge must not exist on any host yet`, 'choose a bridge name no traffic type of the zone uses');
      return;
    }
    const followers = network.trafficTypes
      .filter((t) => t.id !== traffic.id && t.labelSource === 'agent-default' && t.effectiveLabel === traffic.effectiveLabel)
      .map((t) => t.trafficType);
    resolved.push({
      physicalNetworkId: network.id,
      physicalNetworkName: network.name,
      trafficType: traffic.trafficType,
      trafficTypeId: traffic.id,
      oldKvmNetworkLabel: traffic.kvmNetworkLabel,
      oldLabel: traffic.effectiveLabel,
      newLabel: change.newLabel,
      followers,
    });
  });
  checkSharedBridges(labels, resolved, problems);
  return resolved;
}

/** A new bridge replaces exactly one old bridge, and every labelled traffic type on that old bridge moves with it. */
function checkSharedBridges(labels: ReturnType<typeof zoneLabels>, resolved: ResolvedChange[], problems: RelabelProblems): void {
  const byNew = new Map<string, ResolvedChange>();
  for (const change of resolved) {
    const other = byNew.get(change.newLabel);
    if (other && other.oldLabel !== change.oldLabel) {
      problems.add('changes', change.newLabel, `would merge bridges ${other.oldLabel} and ${change.oldLabel} into one`, 'give each old bridge its own new label');
    }
    byNew.set(change.newLabel, other ?? change);
  }
  const byOld = new Map<string, ResolvedChange[]>();
  for (const change of resolved) byOld.set(change.oldLabel, [...(byOld.get(change.oldLabel) ?? []), change]);
  for (const [oldLabel, moving] of byOld) {
    const newLabels = [...new Set(moving.map((c) => c.newLabel))];
    if (newLabels.length > 1) {
      problems.add('changes', oldLabel, `is split into ${newLabels.join(' and ')}`, `give every traffic type on ${oldLabel} the same new label`);
    }
    const left = labels.filter(
      (l) => l.traffic.effectiveLabel === oldLabel && l.traffic.labelSource === 'cloudstack' && !moving.some((c) => c.trafficTypeId === l.traffic.id),
    );
    for (const l of left) {
      problems.add(
        'changes',
        `${l.network.name}/${l.traffic.trafficType}`,
        `also uses bridge ${oldLabel}, which would have to stay beside ${newLabels[0]} on the same uplink (one untagged port serves one bridge)`,
        `add the change ${l.network.name}/${l.traffic.trafficType}=${newLabels[0]} (CLI --changes; in the request: { "physicalNetwork": ${JSON.stringify(l.network.name)}, "trafficType": "${l.traffic.trafficType}", "newLabel": "${newLabels[0]}" })`,
      );
    }
  }
}
