import { isResolveReasonText, RESOLVE_REASON_CHARS_TEXT, type ResolveOutcomeSummary, type ResolveStatus } from '@hostnet/contracts';
import type { HostSession } from '@hostnet/ssh';
import type { HostConnectionFactory } from '../domain/workflow-plan';
import { lastRestoreAttempt } from '../parsers/journal.parser';
import { type ResolveScriptResult, parseResolveOutput } from '../parsers/resolve-output.parser';
import { RESOLVE_SCRIPT } from '../scripts/resolve.script';
import { scriptCommand } from '../scripts/script-command';
import { type Clock, SYSTEM_CLOCK } from './run-tracker';
import { SessionPool } from './session-pool';

const RESOLVE_COMMAND = scriptCommand('resolve', RESOLVE_SCRIPT);
/** The host keeps this much of the why (resolve.script.ts cuts it there). */
const WHY_MAX = 400;
const JOURNAL_CAP = 100;

export interface StuckRunResolverOptions {
  /** Seconds the host waits for the restore within the one round trip. */
  restoreWaitSeconds: number;
  commandTimeoutMs: number;
  /** How long to keep asking the host after the connection was lost or the restore outlasted the wait. */
  followUpMs: number;
  reconnectIntervalMs: number;
  clock?: Clock;
}

/**
 * An operator's rollback of the run stuck on one host: one round trip that finds the run in
 * state.json and restores it (resolve.script.ts), then, only if the answer was lost or the restore
 * still runs, status round trips on fresh connections until it ended. A failure to connect at all
 * propagates (transient: the job retries; the host script is safe to run again).
 */
export class StuckRunResolver {
  private readonly clock: Clock;

  constructor(
    private readonly connect: HostConnectionFactory,
    private readonly options: StuckRunResolverOptions,
  ) {
    this.clock = options.clock ?? SYSTEM_CLOCK;
  }

  async rollback(why: string): Promise<ResolveOutcomeSummary> {
    if (why.length > WHY_MAX || !isResolveReasonText(why)) throw new Error(`why: ${JSON.stringify(why.slice(0, 80))} must be 1-${WHY_MAX} of ${RESOLVE_REASON_CHARS_TEXT}`);
    const ask = `action rollback\nwhy ${why}\nwait ${this.options.restoreWaitSeconds}\n`;
    const pool = new SessionPool(this.connect, this.clock, this.options.reconnectIntervalMs);
    try {
      const session = await pool.connectOnce();
      let seen: ResolveScriptResult | undefined;
      let lost: unknown;
      try {
        seen = await this.exec(session, ask);
      } catch (error) {
        lost = error;
      }
      await pool.release(session);
      if (seen && seen.answer.status !== 'in-progress') return summarize(seen);
      return await this.followUp(pool, ask, why, seen, lost);
    } finally {
      await pool.releaseAll();
    }
  }

  /** The answer was lost (a re-activation may cut the connection) or the restore still runs. */
  private async followUp(pool: SessionPool, ask: string, why: string, seen: ResolveScriptResult | undefined, lost: unknown): Promise<ResolveOutcomeSummary> {
    const limit = this.clock.now() + this.options.followUpMs;
    for (;;) {
      await this.clock.sleep(this.options.reconnectIntervalMs);
      const session = await pool.connectUntil(limit);
      if (!session) {
        const error = lost ?? pool.lastError;
        return failed(`host unreachable after the rollback was asked for: ${error instanceof Error ? error.message : String(error)}`, seen);
      }
      // Without a first answer nobody knows whether the restore started: asking again is safe (the
      // host re-checks the run under its lock), and a run found rolled back by this very why is ours.
      const runId = seen?.answer.runId;
      const next = await this.exec(session, runId ? `action status\nrun ${runId}\n` : ask).catch((error: unknown) => {
        lost = error;
        return undefined;
      });
      await pool.release(session);
      if (next && !runId && restoredBy(next, why)) return summarize({ ...next, answer: { ...next.answer, status: 'rolled-back' } }, '');
      // Our first ask's restore still holds the run lock, so asking again is refused: follow that restore by status.
      const ownRestoreUnderWay = next !== undefined && !runId && next.answer.status === 'refused' && restoreStartedBy(next, why);
      if (next && !ownRestoreUnderWay && next.answer.status !== 'in-progress') return summarize(next, seen?.answer.before);
      if (next) seen = next;
      if (this.clock.now() >= limit) return failed(`the restore was still under way after ${Math.round(this.options.followUpMs / 1000)} s: resolve again to see how it ended`, seen);
    }
  }

  private async exec(session: HostSession, stdin: string): Promise<ResolveScriptResult> {
    const res = await session.exec(RESOLVE_COMMAND, { stdin, timeoutMs: this.options.commandTimeoutMs });
    if (res.code !== 0) throw new Error(`resolve script exited ${res.code}: ${res.stderr.trim().slice(-300)}`);
    return parseResolveOutput(res.stdout);
  }
}

const STATUS_OF: Record<ResolveScriptResult['answer']['status'], ResolveStatus> = {
  'rolled-back': 'rolled-back',
  incomplete: 'failed',
  'in-progress': 'failed',
  'nothing-to-resolve': 'nothing-to-resolve',
  refused: 'refused',
  failed: 'failed',
};

/** The answer plus its evidence: the restore's journal lines and each restored file checked. */
export function summarize(result: ResolveScriptResult, phaseBefore = result.answer.before): ResolveOutcomeSummary {
  const { answer, journal, state } = result;
  const restoredFiles = result.restored.map(({ path, writtenSha256, currentSha256 }) => {
    const ok = writtenSha256 === currentSha256;
    const detail = ok ? (writtenSha256 === 'absent' ? 'absent, as before the run' : 'matches the backup') : writtenSha256 === 'absent' ? 'should not exist' : 'differs from the backup';
    return { path, ok, detail };
  });
  let status = STATUS_OF[answer.status] ?? 'failed';
  let detail = answer.detail;
  const unrestored = restoredFiles.filter((f) => !f.ok);
  if (status === 'rolled-back' && unrestored.length > 0) {
    status = 'failed';
    detail = `${detail}; but ${unrestored.map((f) => `${f.path} ${f.detail}`).join(', ')}`;
  }
  const kept = journal?.restore?.kept ?? [];
  if (status === 'rolled-back' && kept.length > 0) {
    status = 'failed';
    detail = `${detail}; but kept what the run made, as something hostnet does not own is on it: ${kept.join('; ')}`;
  }
  const keptOvs = journal?.restore?.keptOvs;
  if (status === 'rolled-back' && keptOvs !== undefined) {
    status = 'failed';
    detail = `${detail}; but Open vSwitch left ${keptOvs}`;
  }
  const outcome: ResolveOutcomeSummary = { status, detail };
  if (answer.runId) outcome.runId = answer.runId;
  if (state?.specHash) outcome.specHash = state.specHash;
  if (phaseBefore) outcome.phaseBefore = phaseBefore;
  if (answer.phase) outcome.phaseAfter = answer.phase;
  if (answer.mode) outcome.mode = answer.mode;
  const restore = lastRestoreAttempt(journal?.entries ?? []);
  if (restore.length > 0) outcome.journal = restore.slice(0, JOURNAL_CAP);
  if (restoredFiles.length > 0) outcome.restoredFiles = restoredFiles;
  if (journal?.restore?.incomplete.length) outcome.incomplete = journal.restore.incomplete;
  return outcome;
}

/** The host shows the run rolled back by a restore journaled with this operator's why. */
function restoredBy(result: ResolveScriptResult, why: string): boolean {
  return result.state?.phase === 'rolled-back' && restoreStartedBy(result, why);
}

/** The run's latest restore was started with this operator's why. */
function restoreStartedBy(result: ResolveScriptResult, why: string): boolean {
  const entries = result.journal?.entries ?? [];
  const start = [...entries].reverse().find((e) => e.event === 'restore-start');
  return start?.args.slice(1).join(' ') === `operator: ${why}`;
}

function failed(detail: string, seen: ResolveScriptResult | undefined): ResolveOutcomeSummary {
  return seen ? { ...summarize(seen), status: 'failed', detail } : { status: 'failed', detail };
}
