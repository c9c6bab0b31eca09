import type { ApplyStep, RenderTargetId } from '@hostnet/render';
import type { ApplyOutcome, ApplyStatus, FileDiff, RollbackInfo, StepResult, Verification } from '../domain/apply-outcome';
import type { RunTracker } from './run-tracker';

/** The parts of an outcome known so far; the builder fills the rest with empty values. */
export interface OutcomeParts {
  reason?: string;
  recovered?: string;
  target?: RenderTargetId;
  diff?: { files: FileDiff[]; live: string[] };
  steps?: StepResult[];
  planned?: ApplyStep[];
  verification?: Verification;
  rollback?: RollbackInfo;
}

/** Assembles an ApplyOutcome with the tracker's round trips and durations. */
export function buildOutcome(status: ApplyStatus, runId: string, tracker: RunTracker, parts: OutcomeParts): ApplyOutcome {
  const outcome: ApplyOutcome = {
    status,
    runId,
    diff: parts.diff ?? { files: [], live: [] },
    steps: parts.steps ?? [],
    verification: parts.verification ?? { ok: false, checks: [] },
    roundTrips: { ...tracker.roundTrips },
    durationsMs: { ...tracker.durationsMs },
  };
  if (parts.reason !== undefined) outcome.reason = parts.reason;
  if (parts.recovered) outcome.recovered = parts.recovered;
  if (parts.target !== undefined) outcome.target = parts.target;
  if (parts.rollback !== undefined) outcome.rollback = parts.rollback;
  if (parts.planned !== undefined) outcome.planned = parts.planned.map(({ name, argv, phase }) => ({ name, argv: [...argv], phase }));
  return outcome;
}

/** Epoch seconds from state.json as an ISO timestamp (undefined when unknown). */
export function isoFromEpochSeconds(seconds: number | undefined): string | undefined {
  return seconds ? new Date(seconds * 1000).toISOString() : undefined;
}
