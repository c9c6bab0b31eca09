import type { ApplyOutcome, RollbackInfo, Verification, VerificationCheck } from '../domain/apply-outcome';
import type { HostFacts } from '../domain/host-facts';
import { liveDifferences } from '../diff/live-diff';
import type { ApplyScriptResult } from '../parsers/script-result.parser';
import { verifyLiveState } from '../verify/live-state.verifier';
import { isPending } from './pending-run.resolver';
import { buildOutcome, isoFromEpochSeconds } from './outcome.builder';
import { type PreparedApply, type RunContext, errorText } from './run-context';

/**
 * After the apply round trip: reconnect on a NEW connection, verify (1 RT), then confirm (1 RT) or
 * roll back now (1 RT). When the host cannot be reached before the deadline, wait for its timer,
 * reconnect and report whether the old state is back.
 */
export async function finishApply(
  ctx: RunContext,
  prepared: PreparedApply,
  applied: ApplyScriptResult | undefined,
  applyStartedAt: number,
  lostReason: string | undefined,
): Promise<ApplyOutcome> {
  const { plan, options, runner, pool, tracker, hostRunId } = ctx;
  const steps = applied?.steps ?? [];
  const rollback = (triggered: boolean, restoredAt?: number): RollbackInfo => ({
    armedSeconds: options.rollbackSeconds,
    triggered,
    ...(applied?.mechanism ? { mechanism: applied.mechanism } : {}),
    ...(restoredAt ? { restoredAt: isoFromEpochSeconds(restoredAt) } : {}),
  });
  const base = { target: prepared.rendered.target, diff: prepared.diff, steps };
  const hostDeadline = applyStartedAt + options.rollbackSeconds * 1000;

  let reason = lostReason ? `connection lost during apply: ${lostReason}` : '';
  const session = await pool.connectUntil(hostDeadline - options.confirmMarginMs);
  if (session) {
    try {
      const seen = await runner.verify(session, plan.expected.gateway, options.verifyTimeoutMs);
      if (seen.runState?.runId !== hostRunId) {
        return buildOutcome('failed', hostRunId, tracker, { ...base, reason: joinReason(reason, 'the rollback was never armed, host unchanged') });
      }
      if (seen.runState.phase === 'rolled-back') {
        return buildOutcome('rolled-back', hostRunId, tracker, {
          ...base,
          reason: joinReason(reason, 'the host restored its previous configuration before verification'),
          rollback: rollback(true, seen.runState.updatedAt),
        });
      }
      const verification = verifyLiveState(plan.expected, seen.live, seen.ping);
      if (!verification.ok) {
        const failed = verification.checks.filter((c) => !c.ok).map((c) => `${c.name} (${c.detail})`);
        const answer = await runner.confirm(session, hostRunId, plan.specHash, 'rollback', options.confirmTimeoutMs);
        return buildOutcome(answer.status === 'rolled-back' ? 'rolled-back' : 'failed', hostRunId, tracker, {
          ...base,
          reason: `verification failed: ${failed.join('; ')}; rollback ${answer.status === 'rolled-back' ? 'done' : `answer ${answer.status}`}`,
          verification,
          rollback: rollback(answer.status === 'rolled-back'),
        });
      }
      // The host lock makes a late confirm safe: it either wins (applied) or sees rolled-back.
      const answer = await runner.confirm(session, hostRunId, plan.specHash, 'confirm', options.confirmTimeoutMs);
      if (answer.status === 'confirmed') {
        return buildOutcome('applied', hostRunId, tracker, { ...base, verification, rollback: rollback(false) });
      }
      return buildOutcome('rolled-back', hostRunId, tracker, {
        ...base,
        reason: `confirmation came too late: the host is ${answer.phase}`,
        verification,
        rollback: rollback(true),
      });
    } catch (err) {
      reason = `connection lost during verify/confirm: ${errorText(err)}`;
      await pool.release(session);
    }
  } else {
    reason = `host unreachable after apply${lostReason ? ` (${lostReason})` : ''}: ${errorText(pool.lastError)}`;
  }
  return awaitRollback(ctx, prepared, base, hostDeadline, reason, rollback);
}

async function awaitRollback(
  ctx: RunContext,
  prepared: PreparedApply,
  base: Pick<ApplyOutcome, 'target' | 'diff' | 'steps'>,
  hostDeadline: number,
  reason: string,
  rollback: (triggered: boolean, restoredAt?: number) => RollbackInfo,
): Promise<ApplyOutcome> {
  const { options, runner, pool, tracker, hostRunId, clock, plan } = ctx;
  await clock.sleep(hostDeadline + options.rollbackGraceMs - clock.now());
  const limit = clock.now() + options.reconnectTimeoutMs;
  for (;;) {
    const session = await pool.connectUntil(limit);
    if (!session) {
      return buildOutcome('failed', hostRunId, tracker, {
        ...base,
        reason: joinReason(reason, `still unreachable after the rollback deadline: ${errorText(pool.lastError)}`),
        rollback: rollback(true),
      });
    }
    const facts = await runner.facts(session, options.extraFactPaths, options.factsTimeoutMs);
    await pool.release(session);
    const state = facts.runState;
    if (state?.runId !== hostRunId) {
      return buildOutcome('failed', hostRunId, tracker, { ...base, reason: joinReason(reason, 'the rollback was never armed, host unchanged') });
    }
    if (state.phase === 'applied') {
      const verification = verifyLiveState(plan.expected, facts.live, 'skipped (checked from facts)');
      return buildOutcome('applied', hostRunId, tracker, { ...base, reason: joinReason(reason, 'the host had been confirmed'), verification, rollback: rollback(false) });
    }
    if (state.phase === 'rolled-back') {
      return buildOutcome('rolled-back', hostRunId, tracker, {
        ...base,
        reason: joinReason(reason, 'the on-host timer restored the previous configuration'),
        verification: restoredChecks(prepared.facts, facts),
        rollback: rollback(true, state.updatedAt),
      });
    }
    if (!isPending(state) || clock.now() >= limit) {
      return buildOutcome('failed', hostRunId, tracker, { ...base, reason: joinReason(reason, `the host is still ${state.phase}`), rollback: rollback(true) });
    }
    await clock.sleep(options.reconnectIntervalMs);
  }
}

/** Checks that the files and live state the host has now are the ones it had before the apply. */
function restoredChecks(before: HostFacts, after: HostFacts): Verification {
  const checks: VerificationCheck[] = [];
  const paths = new Set([...before.files.keys(), ...after.files.keys()]);
  for (const path of [...paths].sort()) {
    const was = before.files.get(path)?.sha256;
    const now = after.files.get(path)?.sha256;
    if (was !== now) checks.push({ name: `restored ${path}`, ok: false, detail: `${was ? 'content differs from the backup' : 'should not exist'}` });
  }
  if (checks.length === 0) checks.push({ name: 'files restored', ok: true, detail: `${paths.size} files match the pre-apply hashes` });
  const live = liveDifferences(before.live, after.live);
  checks.push({ name: 'live state restored', ok: live.length === 0, detail: live.join('; ') || 'matches the pre-apply live state' });
  return { ok: checks.every((c) => c.ok), checks };
}

function joinReason(...parts: string[]): string {
  return parts.filter(Boolean).join('; ');
}
