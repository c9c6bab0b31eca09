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
    throw new RolloutConflictError(`cannot ${action} rollout ${rollout.id}: it is ${rollout.state} (${action} needs ${ALLOWED[action].join(' or ')}); fix: ${fixFor(rollout)}`);
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

/** What an operator can do with a rollout in its state, for a refused action. */
function fixFor(rollout: RelabelRollout): string {
  const { id, state, request } = rollout;
  if (state === 'done' || state === 'aborted') {
    const changes = request.changes.map((c) => `${c.physicalNetwork}/${c.trafficType}=${c.newLabel}`).join(',');
    const scope = request.scope ? ` --scope ${request.scope.join(',')}${request.outOfScope ? ` --out-of-scope ${request.outOfScope}` : ''}` : '';
    const drifted = request.drifted ? ` --drifted ${request.drifted}` : '';
    return `an ended rollout does not start again; plan it again (hostnet relabel plan --zone ${request.zone} --changes ${JSON.stringify(changes)}${scope}${drifted}, or POST /relabels) and start the new rollout`;
  }
  if (state === 'planned') return `start it (hostnet relabel start --id ${id}), or abort it`;
  if (state === 'paused') return `resume it (hostnet relabel resume --id ${id}), or abort it`;
  return `see where it stands: hostnet relabel status --id ${id} (GET /relabels/${id})`;
}
