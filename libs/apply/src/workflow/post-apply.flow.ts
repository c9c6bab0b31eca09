import { CONFIRMED_MEANWHILE, isPermanentError } from '@hostnet/contracts';
import type { HostSession } from '@hostnet/ssh';
import type { ApplyOutcome, RollbackInfo, Verification } from '../domain/apply-outcome';
import type { ApplyScriptResult, VerifyScriptResult } from '../parsers/script-result.parser';
import { verifyLiveState } from '../verify/live-state.verifier';
import { buildOutcome } from './outcome.builder';
import { awaitRestore, type RestoreWait } from './restore-wait';
import { settleWindow } from './settle-window';
import { type PreparedApply, type RunContext, errorText, withFollowUp } from './run-context';
import { unreachableAfterApply } from './unreachable-reason';

/**
 * After the apply round trip, decided from the host's own journal, never from silence: reconnect on a
 * NEW connection and verify (1 RT, which also extends the deadline now that the management path is
 * proven), then confirm (1 RT) or roll back now (1 RT). While the journal shows steps still running
 * (the apply connection was lost, not the script), wait for them; when it shows a failure or a restore,
 * wait for the restore and report it with the evidence.
 */
export async function finishApply(
  ctx: RunContext,
  prepared: PreparedApply,
  applied: ApplyScriptResult | undefined,
  hostDeadline: number,
  lostReason: string | undefined,
): Promise<ApplyOutcome> {
  const { plan, options, runner, pool, tracker, hostRunId, clock } = ctx;
  const base = { target: prepared.rendered.target, diff: prepared.diff, steps: applied?.steps ?? [] };
  const wait: RestoreWait = { prepared, base, mechanism: applied?.mechanism || undefined, reason: lostReason ? `connection lost during apply: ${lostReason}` : '' };
  const rollback = (triggered: boolean): RollbackInfo => ({
    armedSeconds: options.rollbackSeconds,
    triggered,
    ...(wait.mechanism ? { mechanism: wait.mechanism } : {}),
  });

  const reasonBeforeVerify = wait.reason;
  // A verification that failed only on live state is read again on the same connection while it settles.
  const settling = settleWindow(clock, options);
  let kept: HostSession | undefined;
  for (;;) {
    const session = kept ?? (await pool.connectUntil(hostDeadline - options.confirmMarginMs));
    kept = undefined;
    if (!session) {
      wait.reason = joinReason(wait.reason, unreachableAfterApply(plan.expected, pool.lastError));
      return awaitRestore(ctx, wait, hostDeadline + options.rollbackGraceMs);
    }
    let seen: VerifyScriptResult;
    try {
      seen = await runner.verify(session, plan.expected.gateway, options.verifyTimeoutMs, { runId: hostRunId, extendSeconds: options.rollbackSeconds });
    } catch (err) {
      await pool.release(session);
      wait.reason = joinReason(reasonBeforeVerify, `connection lost during verify: ${errorText(err)}`);
      // Anything but a permanent error before the deadline (a dropped connection, a verify script killed by
      // a reboot): ask the host again, it may have ended the run long before a deadline sized for every
      // step's timeout (minutes), and its journal says how.
      if (!isPermanentError(err) && clock.now() < hostDeadline - options.confirmMarginMs) {
        await clock.sleep(options.reconnectIntervalMs);
        continue;
      }
      return awaitRestore(ctx, wait, hostDeadline + options.rollbackGraceMs);
    }
    const state = seen.runState?.runId === hostRunId ? seen.runState : undefined;
    const journal = seen.journal;
    if (!state && !journal?.entries.some((e) => e.event === 'armed')) {
      await pool.release(session);
      const neverArmed = (why: string) => buildOutcome('failed', hostRunId, tracker, { ...base, reason: joinReason(wait.reason, why) });
      // A failure journaled before arming is the apply's last word; otherwise only the host's fence proves none will arm.
      if (journal?.failed) return neverArmed(`${journal.failed} failed before anything changed`);
      if (seen.applying === 'ended') return neverArmed('the rollback was never armed, host unchanged');
      // The apply script may still be making its backups (or the fence could not be written): it would arm and go on.
      if (clock.now() < hostDeadline - options.confirmMarginMs) {
        await clock.sleep(options.reconnectIntervalMs);
        continue;
      }
      const held = seen.applying === 'running' ? 'its run lock was held' : 'no fence could be written';
      return neverArmed(`the run never armed and the host could not rule out that its apply still would (${held} at the deadline): anything it changes after this is restored by its rollback timer`);
    }
    if (state?.phase === 'applied') {
      const reason = joinReason(wait.reason, CONFIRMED_MEANWHILE);
      const confirmed = buildOutcome('applied', hostRunId, tracker, { ...base, reason, recovered: reason, verification: checksOf(ctx, seen).verification, rollback: rollback(false) });
      await withFollowUp(ctx, confirmed, session);
      await pool.release(session);
      return confirmed;
    }
    if (journal?.failed || journal?.restore || state?.phase !== 'armed') {
      await pool.release(session);
      if (journal?.failed) wait.failed = `${journal.failed} failed`;
      else wait.reason = joinReason(wait.reason, 'the host lost its management path before it could be verified');
      return awaitRestore(ctx, wait, clock.now());
    }
    if (!journal?.stepsDone) {
      // The script still runs its steps on the host: confirming now would race them. Past the deadline
      // the facts round trip of awaitRestore restores a run whose apply script died.
      await pool.release(session);
      if (clock.now() >= hostDeadline) return awaitRestore(ctx, wait, clock.now());
      await clock.sleep(options.reconnectIntervalMs);
      continue;
    }
    hostDeadline = clock.now() + options.rollbackSeconds * 1000;
    const { verification, filesOk } = checksOf(ctx, seen);
    if (!verification.ok && filesOk && (await settling.again())) {
      kept = session;
      continue;
    }
    if (!verification.ok) {
      const failed = verification.checks.filter((c) => !c.ok).map((c) => `${c.name} (${c.detail})`);
      await runner.confirm(session, hostRunId, plan.specHash, 'rollback', options.confirmTimeoutMs).catch(() => undefined);
      await pool.release(session);
      wait.reason = joinReason(wait.reason, `verification failed: ${failed.join('; ')}`);
      wait.verification = verification;
      return awaitRestore(ctx, wait, clock.now());
    }
    const answer = await confirmWhenFree(ctx, session).catch((err: unknown) => errorText(err));
    if (typeof answer !== 'string' && answer.status === 'confirmed') {
      const confirmed = buildOutcome('applied', hostRunId, tracker, { ...base, reason: wait.reason || undefined, recovered: wait.reason, verification, rollback: rollback(false) });
      await withFollowUp(ctx, confirmed, session);
      await pool.release(session);
      return confirmed;
    }
    await pool.release(session);
    wait.reason = joinReason(wait.reason, typeof answer === 'string' ? `connection lost during confirm: ${answer}` : `confirm answered ${answer.status} (host ${answer.phase})`);
    wait.verification = verification;
    return awaitRestore(ctx, wait, typeof answer === 'string' ? hostDeadline + options.rollbackGraceMs : clock.now());
  }
}

/**
 * Live state as intended, and every file the run wrote still has the hash the journal recorded. A file
 * changed after the write will not change back by waiting; live state may still be settling.
 */
function checksOf(ctx: RunContext, seen: VerifyScriptResult): { verification: Verification; filesOk: boolean } {
  const live = verifyLiveState(ctx.plan.expected, seen.live, seen.ping);
  const changed = seen.written.filter((f) => f.writtenSha256 !== f.currentSha256);
  const files = {
    name: 'files as written',
    ok: changed.length === 0,
    detail: changed.length === 0 ? `${seen.written.length} files match the hashes in the run's journal` : changed.map((f) => `${f.path} changed after the write`).join('; '),
  };
  const checks = [...live.checks, files];
  return { verification: { ok: checks.every((c) => c.ok), checks }, filesOk: files.ok };
}

/** Confirm refuses while a step still holds the host's run lock; ask again briefly, then give up. */
async function confirmWhenFree(ctx: RunContext, session: HostSession) {
  for (let attempt = 0; ; attempt++) {
    const answer = await ctx.runner.confirm(session, ctx.hostRunId, ctx.plan.specHash, 'confirm', ctx.options.confirmTimeoutMs);
    if (answer.status !== 'busy' || attempt >= 5) {
      if (answer.status === 'incomplete') await ctx.runner.confirm(session, ctx.hostRunId, ctx.plan.specHash, 'rollback', ctx.options.confirmTimeoutMs);
      return answer;
    }
    await ctx.clock.sleep(1_000);
  }
}

export function joinReason(...parts: string[]): string {
  return parts.filter(Boolean).join('; ');
}
