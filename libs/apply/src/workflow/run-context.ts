import type { RenderedConfig } from '@hostnet/render';
import type { HostSession } from '@hostnet/ssh';
import type { ApplyOutcome, FileDiff } from '../domain/apply-outcome';
import type { HostFacts } from '../domain/host-facts';
import type { HostWorkflowOptions, HostWorkflowPlan } from '../domain/workflow-plan';
import type { HostScriptRunner } from './host-script.runner';
import type { Clock, RunTracker } from './run-tracker';
import type { SessionPool } from './session-pool';

/** Everything one run's stages share. */
export interface RunContext {
  plan: HostWorkflowPlan;
  options: HostWorkflowOptions;
  clock: Clock;
  tracker: RunTracker;
  runner: HostScriptRunner;
  pool: SessionPool;
  /** The id used on the host: plan.runId plus a per-attempt suffix, so a retried job never collides. */
  hostRunId: string;
}

/** What was decided before the apply round trip. */
export interface PreparedApply {
  facts: HostFacts;
  rendered: RenderedConfig;
  diff: { files: FileDiff[]; live: string[] };
}

/** Short error text for reasons (never file contents). */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The outcome, after the plan's follow-up on the connection the run ended on (HostWorkflowPlan.afterRun). */
export async function withFollowUp(ctx: RunContext, outcome: ApplyOutcome, session: HostSession): Promise<ApplyOutcome> {
  await ctx.plan.afterRun?.(outcome, session).catch(() => undefined);
  return outcome;
}
