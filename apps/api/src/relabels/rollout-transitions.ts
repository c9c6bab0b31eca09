import type { RelabelRollout } from './relabel-rollout.types';
import { markGivenUp } from './rollout-given-up';

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
export function applyAction(rollout: RelabelRollout, action: RolloutAction, by: string, why?: string): void {
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
      Object.assign(rollout, { state: 'paused', reason: `paused by ${by}${why ? `: ${why}` : ''}` });
      return;
    case 'resume':
      rollout.state = 'running';
      delete rollout.reason;
      delete rollout.lastError;
      return;
    case 'abort':
      if (rollout.state === 'planned') {
        Object.assign(rollout, { state: 'aborted', phase: 'finished', endedAt: at, reason: `aborted by ${by} before it started${why ? `: ${why}` : ''}` });
        return;
      }
      Object.assign(rollout, { state: 'aborting', reason: `aborted by ${by}${why ? `: ${why}` : ''}` });
      return;
  }
}

/** A host the rollout does not have (HTTP 404). */
export class RolloutHostNotFoundError extends Error {
  override readonly name = 'RolloutHostNotFoundError';
}

/**
 * give-up (aborting only): the rollback stops acting on one host it cannot finish (dead, removed, unreachable),
 * leaves it as it is and goes on with the others. Answers the host's id.
 */
export function giveUpHost(rollout: RelabelRollout, hostIdOrName: string, by: string, why: string | undefined): string {
  if (rollout.state !== 'aborting') {
    throw new RolloutConflictError(`cannot give up a host of rollout ${rollout.id}: it is ${rollout.state} (give-up needs aborting: it only lets a rollback stuck on a host go on); fix: ${fixFor(rollout)}`);
  }
  const host = rollout.hosts[hostIdOrName] ?? Object.values(rollout.hosts).find((h) => h.hostName === hostIdOrName);
  if (!host) throw new RolloutHostNotFoundError(`host ${JSON.stringify(hostIdOrName)} is not in rollout ${rollout.id}; fix: name one of ${Object.values(rollout.hosts).map((h) => h.hostName).join(', ')}`);
  markGivenUp(rollout, host.hostId, by, why ?? 'no reason given');
  return host.hostId;
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
  if (state === 'aborting') return `see where it stands: hostnet relabel status --id ${id} (GET /relabels/${id}); a rollback stuck on a host it cannot finish goes on once you give that host up: hostnet relabel give-up --id ${id} --host <host>`;
  return `see where it stands: hostnet relabel status --id ${id} (GET /relabels/${id})`;
}
