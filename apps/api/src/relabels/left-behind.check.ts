import { RelabelProblems, type RelabelPlan } from '@hostnet/relabel';
import type { HostStatusRecord } from '../hosts/host-status.types';

/** Hosts a finished rollout of the zone left behind (outOfScope "leave-behind"). */
export interface LeftBehind {
  rolloutId: string;
  hostIds: readonly string[];
}

/** A run that applied its spec and proved it, or found nothing to change. */
const CONVERGED = new Set(['verified', 'enabled', 'no-op']);

/**
 * Whether the host's latest record proves it runs the spec the zone asks for now: a run of that very spec
 * (by hash) that verified it or found nothing to change, or a dry-run of it that found no drift. A drift
 * check keeps the host's phase and only dates it anew, and a run of an older spec proves only that spec.
 */
export function runsCurrentSpec(record: HostStatusRecord | undefined, currentSpecHash: string | undefined): boolean {
  if (!record || currentSpecHash === undefined || record.specHash !== currentSpecHash) return false;
  // a dry-run proves it only when it read the host through (a refused one carries a diff, not a verdict)
  return record.dryRun ? record.drifted === false && record.outcome?.status === 'dry-run' : CONVERGED.has(record.phase);
}

/**
 * A relabel expands from the bridges CloudStack names now. A host an earlier rollout left behind still runs
 * the bridge before that rollout until a run moves it; expanding it would move its uplink off that bridge
 * (its VMs' taps stay behind, cut off) outside any maintenance, and delete the bridge once empty. Such a
 * host in scope is refused with the plan, by name, until its latest record shows it on the current spec.
 */
export function assertNoneLeftBehind(
  plan: RelabelPlan,
  leftBehind: readonly LeftBehind[],
  latest: ReadonlyMap<string, HostStatusRecord | undefined>,
  currentSpecHash: (hostId: string) => string | undefined,
): void {
  const problems = new RelabelProblems();
  for (const step of plan.expand) {
    const behind = leftBehind.find((l) => l.hostIds.includes(step.hostId));
    if (!behind || runsCurrentSpec(latest.get(step.hostId), currentSpecHash(step.hostId))) continue;
    problems.add(
      `hosts.${step.hostName}`,
      behind.rolloutId,
      `is the rollout that left this host behind on the bridges before it, and no run has put it on the zone's current labels since, so its expand would move its uplink off the bridge its VMs use, outside maintenance`,
      'bring it to the zone\'s labels first (put it in maintenance, then POST /hosts/:id/configure), or leave its cluster out of "scope" again',
    );
  }
  problems.throwIfAny();
}
