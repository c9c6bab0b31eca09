import type { HostSession, WarmConnection } from '@hostnet/ssh';
import type { ApplyStep, RenderedConfig, RenderedFile } from '@hostnet/render';
import type { ApplyOutcome } from '../domain/apply-outcome';
import type { HostFacts } from '../domain/host-facts';
import { WorkflowValidationError } from '../domain/workflow-errors';
import { DEFAULT_WORKFLOW_OPTIONS, type HostConnectionFactory, type HostWorkflowOptions, type HostWorkflowPlan } from '../domain/workflow-plan';
import { diffFiles } from '../diff/file-diff';
import { liveDifferences } from '@hostnet/intent';
import { type ApplyPayload, encodeApplyPayload } from '../payload/apply-payload.encoder';
import { assertWord, isWord } from '../payload/path-policy';
import type { ApplyScriptResult } from '../parsers/script-result.parser';
import { verifyLiveState } from '../verify/live-state.verifier';
import { HostScriptRunner } from './host-script.runner';
import { buildOutcome } from './outcome.builder';
import { isPending, resolvePendingRun } from './pending-run.resolver';
import { finishApply } from './post-apply.flow';
import { awaitRestore } from './restore-wait';
import { type PreparedApply, type RunContext, errorText, withFollowUp } from './run-context';
import { type Clock, RunTracker, SYSTEM_CLOCK } from './run-tracker';
import { SessionPool } from './session-pool';

/** Where the expected LiveState is written on the host (read back by simulated hosts and operators). */
export const EXPECTED_STATE_PATH = '/var/lib/hostnet/expected-state.json';

/**
 * The on-host workflow for one host: facts → render → diff → (dry-run | no-op | apply with armed
 * rollback) → reconnect → verify → confirm. Pure orchestration over a HostConnectionFactory; every
 * host interaction is one exec of a static script. `run` throws only when nothing on the host was
 * changed (connect/facts failures, invalid input); every other ending is an ApplyOutcome.
 */
export class HostWorkflowService {
  private readonly options: HostWorkflowOptions;

  constructor(
    private readonly connect: HostConnectionFactory,
    options: Partial<HostWorkflowOptions> = {},
    private readonly clock: Clock = SYSTEM_CLOCK,
    /** The connection a previous run to this host kept open (facts run on it), and where this run's last one is kept. */
    private readonly warm?: WarmConnection,
  ) {
    this.options = { ...DEFAULT_WORKFLOW_OPTIONS, ...options };
  }

  /** Runs the workflow once for `plan`. */
  async run(plan: HostWorkflowPlan): Promise<ApplyOutcome> {
    try {
      assertWord(plan.runId, 'runId');
      assertWord(plan.specHash, 'specHash');
    } catch (err) {
      throw new WorkflowValidationError(errorText(err));
    }
    const tracker = new RunTracker(this.clock);
    const ctx: RunContext = {
      plan,
      options: this.options,
      clock: this.clock,
      tracker,
      runner: new HostScriptRunner(tracker),
      pool: new SessionPool(this.connect, this.clock, this.options.reconnectIntervalMs, this.warm),
      hostRunId: `${plan.runId}-${this.clock.now().toString(36)}`,
    };
    try {
      return await this.execute(ctx);
    } finally {
      await ctx.pool.releaseAll();
    }
  }

  private async execute(ctx: RunContext): Promise<ApplyOutcome> {
    const { plan, options, runner, tracker, pool, hostRunId } = ctx;
    let session: HostSession = await pool.connectReusing();
    this.progress('facts');
    let facts = await runner.facts(session, options.extraFactPaths, options.factsTimeoutMs);
    if (isPending(facts.runState)) {
      this.progress('pending-run');
      const resolved = await resolvePendingRun(ctx, session, facts);
      if ('status' in resolved) return resolved;
      ({ session, facts } = resolved);
    }

    const rendered = await tracker.time('render', () => plan.render(facts));
    const diff = {
      files: diffFiles(rendered, facts, plan.dryRun === true),
      live: liveDifferences(plan.expected.live, facts.live),
    };
    const prepared: PreparedApply = { facts, rendered, diff };
    // What the host's live state forbids (a guard's refusal, a config file that is a link): no step may run,
    // and a dry-run says so with the diff instead of showing a change no run can make.
    const refusal = rendered.refusal ?? linkedFilesRefusal(diff, facts);
    if (refusal !== undefined) return buildOutcome('failed', hostRunId, tracker, { target: rendered.target, diff, reason: refusal });
    const changes = diff.files.some((f) => f.change !== 'same') || diff.live.length > 0;
    if (plan.dryRun) {
      return buildOutcome('dry-run', hostRunId, tracker, {
        target: rendered.target,
        diff,
        planned: changes || plan.force ? inRunOrder(rendered.steps) : [],
        verification: verifyLiveState(plan.expected, facts.live, 'skipped (dry-run)'),
      });
    }
    if (!plan.force && !changes) {
      const noop = buildOutcome('no-op', hostRunId, tracker, {
        target: rendered.target,
        diff,
        verification: verifyLiveState(plan.expected, facts.live, 'skipped (no-op)'),
      });
      return withFollowUp(ctx, noop, session);
    }

    const seen = facts.seen ?? null;
    if (seen && (!isWord(seen.runId) || !isWord(seen.phase))) {
      return buildOutcome('failed', hostRunId, tracker, {
        target: rendered.target,
        diff,
        reason: `the host's /var/lib/hostnet/state.json is not as hostnet writes it (run ${JSON.stringify(seen.runId.slice(0, 64))}, phase ${JSON.stringify(seen.phase.slice(0, 64))}); nothing was applied; fix: inspect it, and move it aside if no hostnet run is in progress there`,
      });
    }
    // A change starts on a connection opened now, as every run's did before connections were kept: it
    // checks the host key against known_hosts today and proves the path; a key that changed refuses it here.
    session = await pool.forChange(session);
    const payload = this.encode(ctx, rendered, options.restoreSteps(rendered, facts), seen);
    await plan.beforeApply?.();
    this.progress('apply');
    // The wait covers every step's own timeout: the script re-arms the deadline only after its last step.
    const stepCount = rendered.steps.length;
    const applyWaitMs = Math.max(options.applyTimeoutMs, stepCount * (options.stepTimeoutSeconds + 5) * 1000 + 60_000);
    const startedAt = this.clock.now();
    let result: ApplyScriptResult | undefined;
    let lost: string | undefined;
    try {
      result = await runner.apply(session, payload, applyWaitMs);
    } catch (err) {
      lost = errorText(err);
    }
    await pool.discard(session);
    const base = { target: rendered.target, diff, steps: result?.steps ?? [] };
    if (result && (result.status === 'busy' || result.status === 'stale' || result.status === 'rejected')) {
      return buildOutcome('failed', hostRunId, tracker, { ...base, reason: this.refusal(result, seen) });
    }
    if (result?.status === 'failed' && !result.deadline) {
      // Stopped before the rollback was armed (lock, backup): nothing on the host was changed.
      return buildOutcome('failed', hostRunId, tracker, { ...base, reason: `${failureText(result)}; nothing on the host was changed` });
    }
    if (result?.status === 'failed') {
      this.progress('restore');
      const output = result.outputBase64 ? Buffer.from(result.outputBase64, 'base64').toString('utf8').trim() : '';
      return awaitRestore(
        ctx,
        { prepared, base, mechanism: result.mechanism || undefined, failed: failureText(result), reason: output ? `output: ${output.slice(-1500)}` : '' },
        this.clock.now(),
      );
    }
    this.progress('verify');
    const hostDeadline = result ? this.clock.now() + options.rollbackSeconds * 1000 : startedAt + applyWaitMs + options.rollbackSeconds * 1000;
    return finishApply(ctx, prepared, result, hostDeadline, lost);
  }

  private encode(ctx: RunContext, rendered: RenderedConfig, restoreSteps: ApplyStep[], seen: ApplyPayload['seen']): string {
    const expectedFile: RenderedFile = {
      path: EXPECTED_STATE_PATH,
      content: `${JSON.stringify(ctx.plan.expected.live, null, 2)}\n`,
      mode: 0o644,
    };
    try {
      return encodeApplyPayload({
        runId: ctx.hostRunId,
        specHash: ctx.plan.specHash,
        rollbackSeconds: this.options.rollbackSeconds,
        stepTimeoutSeconds: this.options.stepTimeoutSeconds,
        seen,
        files: [...rendered.files.filter((f) => f.path !== EXPECTED_STATE_PATH), expectedFile],
        removes: rendered.removes,
        steps: inRunOrder(rendered.steps),
        restoreSteps,
        undoSteps: rendered.undoSteps ?? [],
        owns: [...new Set(ctx.plan.expected.live.links.map((l) => l.name))].sort(),
      });
    } catch (err) {
      throw new WorkflowValidationError(`rendered configuration rejected: ${errorText(err)}`);
    }
  }

  private refusal(result: ApplyScriptResult, seen: ApplyPayload['seen']): string {
    if (result.status === 'busy') return `another run (${result.runId}) is ${result.phase} on the host; try again after its deadline`;
    if (result.status === 'stale') {
      const then = seen ? `run ${seen.runId} ${seen.phase}` : 'no hostnet run';
      const now = result.runId ? `run ${result.runId.slice(0, 64)} ${result.phase?.slice(0, 64) ?? ''}`.trim() : 'no hostnet run';
      return `the host changed after this run read its facts (they showed ${then}, the host now shows ${now}): nothing was applied; trigger the host again, its next run reads fresh facts`;
    }
    return `the host refused the apply payload: ${result.reason ?? 'no reason given'}`;
  }

  private progress(stage: string): void {
    this.options.onProgress?.(stage);
  }
}

/** `step ifup-br0 exited 1`, `write /etc/… failed`: what the journal says stopped the run. */
function failureText(result: ApplyScriptResult): string {
  const what = result.failed || 'apply';
  const step = what.startsWith('step ') ? result.steps?.find((s) => s.name === what.slice(5)) : undefined;
  return step ? `${what} exited ${step.exitCode}` : `${what} failed`;
}

/** Changed files that are symbolic links: the apply script refuses them too (a restore could not put the link back). */
function linkedFilesRefusal(diff: ApplyOutcome['diff'], facts: HostFacts): string | undefined {
  const linked = diff.files.filter((f) => f.change !== 'same' && facts.files.get(f.path)?.symlink).map((f) => f.path);
  if (linked.length === 0) return undefined;
  const what = linked.length === 1 ? `${linked[0]} is a symbolic link` : `${linked.join(', ')} are symbolic links`;
  return `${what}, which hostnet would replace by a file and could not restore as a link; nothing was changed; fix: replace the link by a copy of the file it points to`;
}

/** The order the host runs a config's steps in: live (OVS) steps first, then activation, each group in rendered order. */
function inRunOrder(steps: readonly ApplyStep[]): ApplyStep[] {
  return [...steps.filter((s) => s.phase === 'live'), ...steps.filter((s) => s.phase !== 'live')];
}
