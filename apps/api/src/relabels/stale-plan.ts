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
    const network = topology.physicalNetworks.find((n) => n.id === change.physicalNetworkId);
    const traffic = network?.trafficTypes.find((t) => t.trafficType === change.trafficType);
    const name = `${network?.name ?? change.physicalNetworkId}/${change.trafficType}`;
    if (!network || !traffic) gone.push(`${name} is no longer in the zone`);
    else if (traffic.effectiveLabel === change.newLabel) gone.push(`${name} is already ${change.newLabel}`);
    else if (traffic.effectiveLabel !== change.oldLabel) gone.push(`${name} is ${traffic.effectiveLabel} now, not ${change.oldLabel} as planned`);
  }
  if (gone.length === 0) return undefined;
  return `rollout ${rollout.id} is stale: ${gone.join('; ')}, so it cannot start; fix: discard it (hostnet relabel abort --id ${rollout.id}, or POST /relabels/${rollout.id}/abort) and plan again if anything is left to change`;
}
