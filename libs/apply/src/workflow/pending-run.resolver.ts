import type { HostSession } from '@hostnet/ssh';
import type { ApplyOutcome } from '../domain/apply-outcome';
import type { HostFacts, HostRunState } from '../domain/host-facts';
import { diffFiles } from '../diff/file-diff';
import { liveDifferences } from '@hostnet/intent';
import { verifyLiveState } from '../verify/live-state.verifier';
import { buildOutcome } from './outcome.builder';
import { type RunContext, withFollowUp } from './run-context';

/** True while a previous run holds the host (timer armed or restore in progress). */
export function isPending(state: HostRunState | undefined): state is HostRunState {
  return state?.phase === 'armed' || state?.phase === 'rolling-back';
}

/**
 * Resolves a run left pending by a crashed worker, so a host ends fully old or fully new:
 * - ADOPT: the pending run is for the same spec, its deadline is not near, the host's files already
 *   equal the rendered ones and the live state matches → verify (1 RT) and confirm that run (1 RT).
 * - otherwise WAIT: let the on-host timer restore (deadline + grace), reconnect, re-read facts, and
 *   start fresh from the old state.
 * Returns an outcome when the run ends here, else the fresh session and facts to continue with.
 */
export async function resolvePendingRun(
  ctx: RunContext,
  session: HostSession,
  facts: HostFacts,
): Promise<ApplyOutcome | { session: HostSession; facts: HostFacts }> {
  const { plan, options, clock, runner, pool, tracker } = ctx;
  const pending = facts.runState as HostRunState;
  const remainingMs = (facts.deadlineLeft ?? pending.deadline - facts.hostNow) * 1000;
  if (pending.phase === 'armed' && pending.specHash === plan.specHash && remainingMs > options.confirmMarginMs) {
    const rendered = await tracker.time('render', () => plan.render(facts));
    const files = diffFiles(rendered, facts, false);
    const live = liveDifferences(plan.expected.live, facts.live);
    if (files.every((f) => f.change === 'same') && live.length === 0) {
      // The adopted run is proved over a connection opened now, as its own worker's verify would have been.
      session = await pool.forChange(session);
      const seen = await runner.verify(session, plan.expected.gateway, options.verifyTimeoutMs);
      const verification = verifyLiveState(plan.expected, seen.live, seen.ping);
      if (verification.ok) {
        const answer = await runner.confirm(session, pending.runId, pending.specHash, 'confirm', options.confirmTimeoutMs);
        if (answer.status === 'confirmed') {
          const adopted = buildOutcome('applied', pending.runId, tracker, {
            reason: `adopted pending run ${pending.runId}: the host already ran this spec; verified and confirmed it`,
            target: rendered.target,
            diff: { files, live },
            verification,
            rollback: { armedSeconds: options.rollbackSeconds, triggered: false },
          });
          return withFollowUp(ctx, adopted, session);
        }
      }
    }
  }
  await pool.release(session);
  await clock.sleep(Math.max(0, remainingMs) + options.rollbackGraceMs);
  const limit = clock.now() + options.reconnectTimeoutMs;
  for (;;) {
    const next = await pool.connectUntil(limit);
    if (!next) {
      throw new Error(`host unreachable while waiting for pending run ${pending.runId} to roll back`);
    }
    const fresh = await runner.facts(next, options.extraFactPaths, options.factsTimeoutMs);
    if (!isPending(fresh.runState)) return { session: next, facts: fresh };
    await pool.release(next);
    if (clock.now() >= limit) {
      return buildOutcome('failed', pending.runId, tracker, {
        reason: `previous run ${pending.runId} is still ${fresh.runState?.phase} on the host after its deadline`,
      });
    }
    await clock.sleep(options.reconnectIntervalMs);
  }
}
