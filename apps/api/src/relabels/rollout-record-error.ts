/**
 * A CloudStack call's outcome could not be written to the rollout (Redis refused or went away): the call's
 * effect is real, the record is not. Not the host's failure: it stops the runner, and the next one reads the
 * host again before acting (an Enable that took is seen Enabled and not sent twice).
 */
export class RolloutRecordError extends Error {
  override readonly name = 'RolloutRecordError';

  constructor(command: string, outcome: 'answered' | 'failed', cause: unknown) {
    super(`${command} ${outcome === 'answered' ? 'was carried out by CloudStack' : 'failed in CloudStack'} but the rollout could not record it (${(cause as Error).message}); the runner stops and the next one reads the host again`);
  }
}
