/** The part of a host run's outcome that travels through Redis and is shown to operators. */
export const HOST_RUN_STATUSES = ['applied', 'no-op', 'rolled-back', 'failed', 'dry-run'] as const;
export type HostRunStatus = (typeof HOST_RUN_STATUSES)[number];

export interface ApplyOutcomeSummary {
  status: HostRunStatus;
  reason?: string;
  /**
   * A verified run's (applied, no-op): the leading part of `reason` that tells what the run recovered from on its way
   * (a connection lost and found again, the host found confirmed). Evidence of the run, not why the host stands.
   */
  recovered?: string;
  /** Whether the failure can succeed on retry (network) or needs an operator (validation, host key). */
  permanent?: boolean;
  target?: string;
  specHash?: string;
  /** Per-file change; `unified` only for dry-runs (capped), so operators can review before applying. */
  diff?: { files: { path: string; change: 'create' | 'update' | 'delete' | 'same'; unified?: string; reason?: string }[]; live: string[] };
  steps?: { name: string; durationMs: number; exitCode: number }[];
  /** A dry-run's steps an apply would run after writing the files (argv, in order); empty when nothing would change. */
  /** `agent`: the agent's restart after a confirmed run that changed its bridge map (only if the agent runs). */
  planned?: { name: string; argv: string[]; phase: 'live' | 'activate' | 'agent' }[];
  verification?: { ok: boolean; checks: { name: string; ok: boolean; detail?: string }[] };
  /**
   * `restoreChecks`: the evidence the host is back as before the run (its files' hashes, its live state).
   * `unconfirmed`: the host was never seen restored (why: host unreachable, ...): the restore is only presumed.
   */
  rollback?: { armedSeconds: number; triggered: boolean; restoredAt?: string; restoreChecks?: { name: string; ok: boolean; detail?: string }[]; unconfirmed?: string };
  roundTrips?: Record<string, number>;
  durationsMs?: Record<string, number>;
  /**
   * A relabel step's cloudstack-agent restart after the confirmed run: `failed` only on the job's last
   * attempt (earlier ones are retried), with the network applied and confirmed; a rollout counts it failed.
   * `skipped`: not run, because agent.properties names a device the host does not have after the run (the
   * agent would not start again); the detail says which, and the fix. A rollout counts it failed too.
   */
  agentRestart?: { status: 'restarted' | 'already' | 'not-running' | 'failed' | 'skipped'; detail?: string };
}

/**
 * What a rollback the host was never seen to finish is, for a person: the on-host timer restores the previous
 * configuration by itself, but nothing read it back, so it is presumed, not confirmed.
 */
export function presumedRestore(unconfirmed: string): string {
  return `presumed restored by its on-host timer, not confirmed (${unconfirmed})`;
}

/** The parts of an outcome that tell a run refused before any step (loosely typed: the CLI reads api's JSON). */
export interface RefusableOutcome {
  status?: string;
  steps?: readonly unknown[];
  verification?: { ok?: boolean; checks?: readonly unknown[] };
}

/**
 * A run that stopped before any step ran, so nothing on the host changed and nothing was verified: failed,
 * no step, a verification with no check (as every worker outcome carries one; a guard's refusal, a busy host, a lock not taken). Its reason says why;
 * operators must not read it as a verification that failed.
 */
export function refusedBeforeAnyStep(outcome: RefusableOutcome | undefined): boolean {
  return outcome?.status === 'failed' && outcome.verification !== undefined && (outcome.steps ?? []).length === 0 && (outcome.verification.checks ?? []).length === 0;
}
