import type { RelabelRollout } from './relabel-rollout.types';

/** A host the rollback gave up on: no later step of it acts on the host. */
export function isGivenUp(rollout: RelabelRollout, hostId: string): boolean {
  return rollout.givenUp?.some((g) => g.hostId === hostId) ?? false;
}

/**
 * Records that the rollback leaves `hostId` as it is: out of the freeze and the switch it would undo, its step in
 * flight closed (its result kept). Nothing is sent to the host or CloudStack for it any more.
 */
export function markGivenUp(rollout: RelabelRollout, hostId: string, by: string, why: string): void {
  const host = rollout.hosts[hostId];
  if (!host || isGivenUp(rollout, hostId)) return;
  const at = new Date().toISOString();
  rollout.givenUp = [...(rollout.givenUp ?? []), { hostId, by, at, why }];
  rollout.frozen = rollout.frozen.filter((id) => id !== hostId);
  rollout.switched = rollout.switched.filter((id) => id !== hostId);
  if (host.current) {
    host.steps.push({ ...host.current, endedAt: at, result: host.current.result ?? 'failed', reason: `given up by ${by}: ${why}` });
    delete host.current;
  }
}

/** `; given up: kvm1 (by ops: why), …` for the final reason, or ''. */
export function givenUpReason(rollout: RelabelRollout): string {
  const given = rollout.givenUp ?? [];
  if (given.length === 0) return '';
  return `; given up, left as they are: ${given.map((g) => `${rollout.hosts[g.hostId]?.hostName ?? g.hostId} (by ${g.by}: ${g.why})`).join(', ')}`;
}
