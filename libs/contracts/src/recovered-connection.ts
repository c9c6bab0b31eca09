/** Said in a verified run's reason when the host's state showed the run confirmed by the time the worker reached it again. */
export const CONFIRMED_MEANWHILE = 'the host had been confirmed';

/** The parts of a run's outcome that say why its host stands where it does (loosely typed: the CLI reads api's JSON). */
export interface StandingOutcome {
  status?: string;
  reason?: string;
  recovered?: string;
}

/**
 * A run's reason as its host's standing reason: a verified run's (applied, no-op) without what the run recovered from
 * (`recovered`: a connection lost and found again is the run's evidence, no failure of the host), so what is left is
 * what still holds (an agent not restarted); any other run's as it is.
 */
export function standingReasonOf(outcome: StandingOutcome | undefined): string | undefined {
  const reason = outcome?.reason;
  const recovered = outcome?.recovered;
  if (reason === undefined || !recovered || (outcome.status !== 'applied' && outcome.status !== 'no-op') || !reason.startsWith(recovered)) return reason;
  const rest = reason.slice(recovered.length).replace(/^; /, '');
  return rest === '' ? undefined : rest;
}
