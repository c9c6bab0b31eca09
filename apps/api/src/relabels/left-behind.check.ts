import { RelabelProblems, type RelabelPlan } from '@hostnet/relabel';
import type { HostStatusBrief } from '../hosts/host-status.types';

/** Hosts a finished rollout of the zone left behind (outOfScope "leave-behind"), and when it ended. */
export interface LeftBehind {
  rolloutId: string;
  endedAt: string;
  hostIds: readonly string[];
}

/** A run that shows the host on the zone's labels: applied and verified, or nothing to change. */
const CONVERGED = new Set(['verified', 'enabled', 'no-op']);

/**
 * A relabel expands from the bridges CloudStack names now. A host an earlier rollout left behind still runs
 * the bridge before that rollout until a run moves it; expanding it would move its uplink off that bridge
 * (its VMs' taps stay behind, cut off) outside any maintenance, and delete the bridge once empty. Such a
 * host in scope is refused with the plan, by name, until a run after that rollout shows it converged.
 */
export function assertNoneLeftBehind(plan: RelabelPlan, leftBehind: readonly LeftBehind[], briefs: ReadonlyMap<string, HostStatusBrief | undefined>): void {
  const problems = new RelabelProblems();
  for (const step of plan.expand) {
    const behind = leftBehind.find((l) => l.hostIds.includes(step.hostId));
    if (!behind) continue;
    const brief = briefs.get(step.hostId);
    if (brief && CONVERGED.has(brief.phase) && Date.parse(brief.at) > Date.parse(behind.endedAt)) continue;
    problems.add(
      'scope',
      step.hostName,
      `was left behind by rollout ${behind.rolloutId} on the bridges before it and has not run since, so its expand would move its uplink off the bridge its VMs use, outside maintenance`,
      'bring it to the zone\'s labels first (put it in maintenance, then POST /hosts/:id/configure), or leave its cluster out of "scope" again',
    );
  }
  problems.throwIfAny();
}
