import type { KvmHost } from '@hostnet/cloudstack';
import type { RelabelRollout } from './relabel-rollout.types';
import type { RolloutContext } from './rollout-context';

/**
 * KVM hosts CloudStack lists now in the rollout's clusters that the rollout does not know: added (add-host,
 * CloudStack's UI) after the plan. Such a host has only the bridge of the label it joined under and no step
 * of the rollout: after the flip CloudStack asks it for the new bridge. A failed read throws (the next runner reads again).
 */
export async function hostsJoinedSincePlan(ctx: RolloutContext, rollout: RelabelRollout): Promise<KvmHost[]> {
  const clusters = new Set(Object.values(rollout.hosts).map((h) => h.clusterId));
  const listed = await ctx.cloudstack.zoneHosts(rollout.zoneId);
  return listed.filter((h) => h.state !== 'Removed' && clusters.has(h.clusterId) && !rollout.hosts[h.id]);
}

/** Why a rollout pauses for `joined` before `phase`, and what the operator can do. */
export function joinedReason(joined: KvmHost[], phase: string): string {
  const names = joined.map((h) => `${h.name} (${h.id}, cluster ${h.clusterId})`).join(', ');
  return `${names} joined the rollout's clusters after the plan and no step of it covers them (found before ${phase}): ` +
    'after the flip CloudStack would ask them for a bridge they lack; abort takes the rollout back (then plan again to include them), ' +
    'or remove them from CloudStack and resume';
}
