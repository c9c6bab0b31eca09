import type { RelabelRollout } from './relabel-rollout.types';

export type RolloutAction = 'start' | 'pause' | 'resume' | 'abort';

/** An action the rollout's state does not allow (HTTP 409). */
export class RolloutConflictError extends Error {
  override readonly name = 'RolloutConflictError';
}

const ALLOWED: Record<RolloutAction, string[]> = {
  start: ['planned'],
  pause: ['running'],
  resume: ['paused'],
  abort: ['planned', 'running', 'paused'],
};

/**
 * The operator's transitions, applied to a record read for a compare-and-set write: start (planned →
 * running), pause (running → paused: no new host step starts, steps in flight finish), resume (paused →
 * running), abort (planned → aborted at once; running|paused → aborting: the runner takes everything back).
 */
export function applyAction(rollout: RelabelRollout, action: RolloutAction, by: string): void {
  if (!ALLOWED[action].includes(rollout.state)) {
    throw new RolloutConflictError(`cannot ${action} rollout ${rollout.id}: it is ${rollout.state} (${action} needs ${ALLOWED[action].join(' or ')})`);
  }
  const at = new Date().toISOString();
  switch (action) {
    case 'start':
      Object.assign(rollout, { state: 'running', phase: 'expand', startedAt: at });
      delete rollout.reason;
      return;
    case 'pause':
      Object.assign(rollout, { state: 'paused', reason: `paused by ${by}` });
      return;
    case 'resume':
      rollout.state = 'running';
      delete rollout.reason;
      delete rollout.lastError;
      return;
    case 'abort':
      if (rollout.state === 'planned') {
        Object.assign(rollout, { state: 'aborted', phase: 'finished', endedAt: at, reason: `aborted by ${by} before it started` });
        return;
      }
      Object.assign(rollout, { state: 'aborting', reason: `aborted by ${by}` });
      return;
  }
}
