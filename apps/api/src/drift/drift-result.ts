import type { ApplyOutcomeSummary, ConfigureHostJobData } from '@hostnet/contracts';
import { MissingNicError } from '@hostnet/render';
import type { HostPhase, HostStatusRecord } from '../hosts/host-status.types';

/** Where a host stands after a run that ended; a drift check is due for these (and keeps them). */
export const DRIFT_CHECKED_PHASES: ReadonlySet<HostPhase> = new Set<HostPhase>(['enabled', 'no-op', 'verified', 'dry-run']);

export function isDriftCheck(request: Pick<ConfigureHostJobData, 'trigger'>): boolean {
  return request.trigger?.kind === 'drift';
}

/** Thrown for a drift request that is not a dry-run: drift checks never change a host. */
export class DriftApplyRefusedError extends Error {
  override readonly name = 'DriftApplyRefusedError';
}

/** A drift result must come from a dry-run; anything else is refused before it can enable or record. */
export function assertDriftReadOnly(request: Pick<ConfigureHostJobData, 'trigger' | 'mode' | 'hostId'>): void {
  if (isDriftCheck(request) && request.mode !== 'dry-run') {
    throw new DriftApplyRefusedError(`drift check of host ${request.hostId} asked for mode ${request.mode}; drift checks are dry-runs only`);
  }
}

/** Whether a dry-run's diff shows the host differs from its intent: a file to write or delete, or live state. */
export function diffShowsDrift(outcome: ApplyOutcomeSummary): boolean {
  const diff = outcome.diff;
  if (!diff) return false;
  return diff.files.some((f) => f.change !== 'same') || diff.live.length > 0;
}

/** Phases of a run still going: a dry-run's result never stands in for them. */
const IN_FLIGHT_PHASES: ReadonlySet<HostPhase> = new Set<HostPhase>(['queued', 'applying']);

/**
 * The record a dry-run's result leaves (a drift check's or an operator's): the host keeps the phase it
 * stood in (a dry-run changes nothing on it; an enabled host stays enabled, a failed spec stays the
 * operator's to re-run), `drifted` says whether the dry-run found a difference, `outcome` carries the
 * diff (unified per file). A host hostnet never recorded stands at `dry-run`. A dry-run that could not
 * read the host (unreachable, invalid facts) proves nothing either way: the previous `drifted` is kept
 * and the reason recorded.
 */
export function driftRecord(
  base: Omit<HostStatusRecord, 'phase' | 'at'>,
  outcome: ApplyOutcomeSummary,
  previous: HostStatusRecord | undefined,
  at: string,
  what = 'drift check',
  /** The dry-run stopped on its spec (refused before it was queued): the profile's fault, not the host's. */
  specRefused = false,
): HostStatusRecord {
  const phase: HostPhase = previous && !IN_FLIGHT_PHASES.has(previous.phase) ? previous.phase : 'dry-run';
  if (outcome.status !== 'dry-run') {
    const reason = `${what}${INCOMPLETE}${outcome.status}): ${outcome.reason ?? 'no reason given'}`;
    // A refusal still read the host and carries its diff (a left-behind host with VMs on the old bridge is
    // drifted, and must show so); a run that could not read the host proves nothing: the old verdict stays,
    // as it does when a new spec names a NIC the host lacks: that is the profile's error, not the host's
    // drift (a typo in a profile would otherwise mark every host of it drifted, and page). Under the spec
    // the host last stood on, a NIC gone from the host is drift like any other.
    const specError = specNamesMissingNic(outcome) && (previous === undefined || previous.specHash !== base.specHash);
    const drifted = outcome.diff && !specError ? diffShowsDrift(outcome) : previous?.drifted;
    // the host's own stop (unreachable, invalid facts, a refusal of what it holds) marks it; a profile's does not
    const incomplete = !specError && !specRefused ? { dryRunIncomplete: true as const } : {};
    return { ...base, phase, dryRun: true, ...incomplete, reason, ...(drifted !== undefined ? { drifted } : {}), at };
  }
  const drifted = diffShowsDrift(outcome);
  const { reason: _reason, ...rest } = base;
  const standing = !drifted && previous?.phase === phase ? standingReason(previous, base.specHash) : undefined;
  return { ...rest, phase, dryRun: true, drifted, ...(drifted ? { reason: `drifted from its intent: ${driftSummary(outcome)}` } : standing ? { reason: standing } : {}), at };
}

const INCOMPLETE = ' did not complete (';

/** The worker reports a refusal as `<error name>: <message>` (with-transition.ts). */
function specNamesMissingNic(outcome: ApplyOutcomeSummary): boolean {
  return outcome.reason?.startsWith(`${MissingNicError.name}: `) === true;
}
const EARLIER_SPEC = " (an earlier spec's; the current one dry-runs clean: configure the host to clear it)";
/** The phases a host keeps until an operator acts, so their reason must stay readable. */
const OPERATOR_PHASES: ReadonlySet<HostPhase> = new Set<HostPhase>(['failed', 'rolled-back', 'enable-failed', 'resolved']);

/**
 * Why a host an operator must act on stands where it does, kept by a clean dry-run that keeps its phase: a
 * failed host must not read "failed" with no reason after a plan, and a reason from an earlier spec says so.
 * A dry-run's own words (its drift, or that it did not complete) are not kept.
 */
function standingReason(previous: HostStatusRecord, specHash: string | undefined): string | undefined {
  const reason = previous.reason;
  if (reason === undefined || !OPERATOR_PHASES.has(previous.phase) || previous.drifted === true) return undefined;
  if (previous.dryRun === true && reason.includes(INCOMPLETE)) return undefined;
  return previous.specHash === specHash || reason.endsWith(EARLIER_SPEC) ? reason : `${reason}${EARLIER_SPEC}`;
}

export function driftSummary(outcome: ApplyOutcomeSummary): string {
  const files = (outcome.diff?.files ?? []).filter((f) => f.change !== 'same').map((f) => `${f.change} ${f.path}`);
  const live = outcome.diff?.live.length ?? 0;
  return [...files, ...(live > 0 ? [`${live} live difference${live === 1 ? '' : 's'}`] : [])].join(', ');
}
