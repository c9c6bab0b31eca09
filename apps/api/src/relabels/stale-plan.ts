import type { ZoneNetworkTopology } from '@hostnet/cloudstack';
import type { RelabelRollout } from './relabel-rollout.types';

/**
 * Why a planned rollout can no longer start, read from the zone as CloudStack has it now: a label it
 * changes is no longer the one it was planned from (another rollout or an operator changed it, most often
 * to this very label), or its physical network or traffic type is gone. Undefined while its premise holds
 * (the start's re-plan still checks everything else). Shown by GET /relabels(/:id) as `stale`, and refused
 * by a host's diff, which would otherwise render an expand to a label that is already current.
 */
export function stalePlanned(rollout: Pick<RelabelRollout, 'id' | 'state' | 'changes'>, topology: ZoneNetworkTopology): string | undefined {
  if (rollout.state !== 'planned') return undefined;
  const gone: string[] = [];
  for (const change of rollout.changes) {
    const { name, label } = labelNow(change, topology);
    if (label === undefined) gone.push(`${name} is no longer in the zone`);
    else if (label === change.newLabel) gone.push(`${name} is already ${change.newLabel}`);
    else if (label !== change.oldLabel) gone.push(`${name} is ${label} now, not ${change.oldLabel} as planned`);
  }
  if (gone.length === 0) return undefined;
  return `rollout ${rollout.id} is stale: ${gone.join('; ')}, so it cannot start; fix: discard it (hostnet relabel abort --id ${rollout.id}, or POST /relabels/${rollout.id}/abort) and plan again if anything is left to change`;
}

/**
 * Why a started rollout's host diffs cannot be rendered from the zone as it is now: a label it changed is neither
 * its old nor its new one any more (a later rollout or an operator moved it on). Undefined while every label it
 * changes is one of the two.
 */
export function movedPast(rollout: Pick<RelabelRollout, 'id' | 'state' | 'changes'>, topology: ZoneNetworkTopology): string | undefined {
  if (rollout.state === 'planned') return undefined;
  const moved: string[] = [];
  for (const change of rollout.changes) {
    const { name, label } = labelNow(change, topology);
    if (label === undefined) moved.push(`${name} is no longer in the zone`);
    else if (label !== change.oldLabel && label !== change.newLabel) moved.push(`${name} is ${label} now, neither ${change.oldLabel} nor ${change.newLabel}`);
  }
  if (moved.length === 0) return undefined;
  return `rollout ${rollout.id} (${rollout.state}): the zone has moved past it: ${moved.join('; ')}; its host diffs are rendered from the zone as it is now, so they exist only while the zone holds one of its labels; fix: see the hosts' own runs (hostnet host --host H) or the rollout's recorded calls (GET /relabels/${rollout.id})`;
}

/** A change's traffic type as the zone names it now, and its label there (undefined when it is gone). */
function labelNow(change: RelabelRollout['changes'][number], topology: ZoneNetworkTopology): { name: string; label?: string } {
  const network = topology.physicalNetworks.find((n) => n.id === change.physicalNetworkId);
  const traffic = network?.trafficTypes.find((t) => t.trafficType === change.trafficType);
  return { name: `${network?.name ?? change.physicalNetworkId}/${change.trafficType}`, ...(traffic ? { label: traffic.effectiveLabel } : {}) };
}
