import { RelabelProblems, type RelabelPlan } from '@hostnet/relabel';
import type { HostStatusRecord } from '../hosts/host-status.types';

/** Hosts a finished rollout of the zone left behind (outOfScope "leave-behind"), and when it ended. */
export interface LeftBehind {
  rolloutId: string;
  hostIds: readonly string[];
  /** When the rollout ended: only a record after it can prove a host moved since. */
  endedAt?: string;
}

/** A finished rollout of the zone: the hosts it expanded, and when it started. */
export interface FinishedRollout {
  rolloutId: string;
  startedAt?: string;
  expanded: readonly string[];
}

/** A run that applied its spec and proved it, or found nothing to change. */
const CONVERGED = new Set(['verified', 'enabled', 'no-op']);

/**
 * Whether one record proves the host runs the spec the zone asks for now: a run of that very spec
 * (by hash) that verified it or found nothing to change, or a dry-run of it that found no drift. A drift
 * check keeps the host's phase and only dates it anew, and a run of an older spec proves only that spec.
 */
export function runsCurrentSpec(record: HostStatusRecord | undefined, currentSpecHash: string | undefined): boolean {
  if (!record || currentSpecHash === undefined || record.specHash !== currentSpecHash) return false;
  // a dry-run proves it only when it read the host through (a refused one carries a diff, not a verdict)
  return record.dryRun ? record.drifted === false && record.outcome?.status === 'dry-run' : CONVERGED.has(record.phase);
}

/**
 * The hosts each leave-behind rollout still leaves behind: a done rollout started after it ended, with the
 * host in its expand, moved the host (its plan passed this very check then, and its contract put the host
 * on the labels it flipped to).
 */
export function stillLeftBehind(leftBehind: readonly LeftBehind[], finished: readonly FinishedRollout[]): LeftBehind[] {
  return leftBehind.map((behind) => {
    const later = finished.filter((f) => f.rolloutId !== behind.rolloutId && isAfter(f.startedAt, behind.endedAt));
    return { ...behind, hostIds: behind.hostIds.filter((id) => !later.some((f) => f.expanded.includes(id))) };
  });
}

/**
 * A relabel expands from the bridges CloudStack names now. A host an earlier rollout left behind still runs
 * the bridge before that rollout until a run moves it; expanding it would move its uplink off that bridge
 * (its VMs' taps stay behind, cut off) outside any maintenance, and delete the bridge once empty. Such a
 * host in scope is refused with the plan, by name, until a record since that rollout ended (`histories`:
 * newest first, any of them, not only the latest: a later relabel step's or restore's record binds to its
 * rollout) shows it on the current spec.
 */
export function assertNoneLeftBehind(
  plan: RelabelPlan,
  leftBehind: readonly LeftBehind[],
  histories: ReadonlyMap<string, readonly HostStatusRecord[]>,
  currentSpecHash: (hostId: string) => string | undefined,
): void {
  const problems = new RelabelProblems();
  for (const step of plan.expand) {
    const behind = leftBehind.find((l) => l.hostIds.includes(step.hostId));
    if (!behind) continue;
    const current = currentSpecHash(step.hostId);
    const since = (histories.get(step.hostId) ?? []).filter((r) => isAfter(r.at, behind.endedAt));
    if (since.some((r) => runsCurrentSpec(r, current))) continue;
    problems.add(
      `hosts.${step.hostName}`,
      behind.rolloutId,
      `is the rollout that left this host behind on the bridges before it, and no run has put it on the zone's current labels since, so its expand would move its uplink off the bridge its VMs use, outside maintenance`,
      'bring it to the zone\'s labels first (put it in maintenance, then POST /hosts/:id/configure), or leave its cluster out of "scope" again',
    );
  }
  problems.throwIfAny();
}

/** `at` is at or after `since` (an unknown `since`: every time is). An unknown `at` is not. */
function isAfter(at: string | undefined, since: string | undefined): boolean {
  if (since === undefined) return true;
  return at !== undefined && Date.parse(at) >= Date.parse(since);
}
