import type { ApplyStep, RenderTargetId } from '@hostnet/render';

/** How one run of the on-host workflow ended. */
export type ApplyStatus = 'applied' | 'no-op' | 'rolled-back' | 'failed' | 'dry-run';

/** What happens to one file the target owns. */
export type FileChange = 'create' | 'update' | 'delete' | 'same';

export interface FileDiff {
  path: string;
  change: FileChange;
  /** Unified-ish text diff, only filled for dry-runs and capped in size. */
  unified?: string;
  /** Why a file the target does not own changes: another owner's config moved aside. */
  reason?: string;
}

export interface StepResult {
  name: string;
  durationMs: number;
  exitCode: number;
}

export interface VerificationCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface Verification {
  ok: boolean;
  checks: VerificationCheck[];
}

export interface RollbackInfo {
  armedSeconds: number;
  /** True when the host restored (or, `unconfirmed`, was due to restore) its previous configuration (timer, failed step or failed verification). */
  triggered: boolean;
  /** ISO time the host reported the restore finished, when known. */
  restoredAt?: string;
  /** `systemd-run` timer or a detached `setsid` process. */
  mechanism?: 'systemd-run' | 'setsid' | 'nohup';
  /** Evidence that the host is back to its previous configuration (files and live state). */
  restoreChecks?: VerificationCheck[];
  /**
   * Why the restore is not confirmed (host unreachable, another run on it, still applying): set when no facts
   * showed this run restored, so the rollback is presumed (its on-host timer) and never counted as proven.
   */
  unconfirmed?: string;
}

export interface RoundTrips {
  facts: number;
  apply: number;
  verify: number;
  confirm: number;
  total: number;
}

export interface WorkflowDurations {
  facts: number;
  render: number;
  apply: number;
  verify: number;
  confirm: number;
}

/** The full report of one workflow run against one host. */
export interface ApplyOutcome {
  status: ApplyStatus;
  reason?: string;
  /** A verified run's: the leading part of its reason that tells what it recovered from (a connection lost and found again). */
  recovered?: string;
  /** Render target; undefined only when the run failed before rendering. */
  target?: RenderTargetId;
  runId: string;
  diff: { files: FileDiff[]; live: string[] };
  steps: StepResult[];
  /**
   * A dry-run's answer to "what would it run?": the live and activation steps an apply would run after
   * writing the files, in order, as argv (empty when nothing would change). Other runs leave it out.
   */
  planned?: ApplyStep[];
  verification: Verification;
  rollback?: RollbackInfo;
  roundTrips: RoundTrips;
  durationsMs: WorkflowDurations;
}
