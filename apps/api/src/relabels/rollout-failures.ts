import type { HostStepRecord, RelabelRollout, RolloutHost } from './relabel-rollout.types';

/** A failed host with what the record keeps of its failure. */
export interface RolloutFailure {
  hostId: string;
  hostName: string;
  /** Forward step or rollback step that failed. */
  step: string;
  runStatus?: string;
  runId?: string;
  reason: string;
  at?: string;
  /** A later step of the host verified (a resumed rollout retried it). */
  recovered: boolean;
  rollback: boolean;
}

/** Hosts that failed a forward step at least once, then those whose rollback failed; each with its last failed step. */
export function rolloutFailures(rollout: RelabelRollout): RolloutFailure[] {
  const ids = [...new Set([...rollout.failedHosts, ...rollout.rollbackFailures])];
  return ids.flatMap((hostId) => {
    const host = rollout.hosts[hostId];
    if (!host) return [];
    const step = lastFailedStep(host);
    const later = step ? host.steps.slice(host.steps.indexOf(step) + 1) : [];
    return [
      {
        hostId,
        hostName: host.hostName,
        step: step?.purpose ?? '',
        ...(step?.runStatus ? { runStatus: step.runStatus } : {}),
        ...(step?.runId ? { runId: step.runId } : {}),
        reason: step?.reason ?? rollout.reason ?? '',
        ...(step?.endedAt ? { at: step.endedAt } : {}),
        recovered: !rollout.rollbackFailures.includes(hostId) && later.some((s) => s.result === 'verified'),
        rollback: rollout.rollbackFailures.includes(hostId),
      },
    ];
  });
}

export function lastFailedStep(host: RolloutHost): HostStepRecord | undefined {
  return host.steps.filter((s) => s.result === 'failed').at(-1);
}
