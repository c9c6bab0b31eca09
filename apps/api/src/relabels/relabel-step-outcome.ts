import type { HostPhase, HostStatusRecord } from '../hosts/host-status.types';
import type { HostStepOutcome } from './relabel-ports';

const ENDED: Partial<Record<HostPhase, boolean>> = { verified: true, 'no-op': true, failed: false, 'rolled-back': false, 'enable-failed': false };

/**
 * How run `runId` ended, from the host's history (newest first), or undefined while it has not. A run
 * whose network verified but whose agent restart failed on its last attempt (or was skipped, agent.properties
 * naming a device the host lacks) is a failed step: the agent still maps the bridges it had, so the rollout must
 * not go on as if it switched.
 */
export function stepOutcomeOf(history: HostStatusRecord[], runId: string): HostStepOutcome | undefined {
  const ended = history.find((r) => r.runId === runId && ENDED[r.phase] !== undefined);
  if (!ended) return undefined;
  const runStatus = ended.outcome?.status ?? ended.phase;
  if (ENDED[ended.phase] === true && ended.outcome?.agentRestart?.status === 'failed') {
    return { ok: false, runStatus: `${runStatus}, agent restart failed`, reason: ended.reason ?? `agent restart failed: ${ended.outcome.agentRestart.detail ?? ''}` };
  }
  // not restarted because agent.properties names a device the host lacks: the agent did not switch either
  if (ENDED[ended.phase] === true && ended.outcome?.agentRestart?.status === 'skipped') {
    return { ok: false, runStatus: `${runStatus}, agent not restarted`, reason: ended.reason ?? `agent not restarted: ${ended.outcome.agentRestart.detail ?? ''}` };
  }
  return { ok: ENDED[ended.phase] === true, runStatus, ...(ended.reason ? { reason: ended.reason } : {}), ...(changedNothing(ended) ? { unchanged: true as const } : {}) };
}

/**
 * A failed run whose worker never armed the rollback changed nothing on the host (a refusal before any step,
 * a lock or backup failure, a fenced apply): every outcome of a run that armed carries `rollback`. The diff
 * tells the worker's own outcome of this run from a failure recorded without one (a previous run still
 * pending on the host, a lost worker), which proves nothing.
 */
function changedNothing(ended: HostStatusRecord): boolean {
  const outcome = ended.outcome;
  return ended.phase === 'failed' && outcome?.status === 'failed' && outcome.rollback === undefined && outcome.diff !== undefined;
}
