import { DiffTargetError } from './relabel-host-diff.service';
import { RolloutNotFoundError } from './relabel-rollout.store';
import { RolloutConflictError, RolloutHostNotFoundError } from './rollout-transitions';

/**
 * The HTTP status of a relabel error that is about the request (the API's routes and the dashboard's
 * diff fragment answer the same); undefined for anything else, which stays a server error.
 */
export function relabelErrorStatus(error: unknown): 400 | 404 | 409 | undefined {
  if (error instanceof DiffTargetError) return 400;
  if (error instanceof RolloutNotFoundError || error instanceof RolloutHostNotFoundError) return 404;
  if (error instanceof RolloutConflictError) return 409;
  const name = (error as Error | undefined)?.name;
  return name === 'ZoneNotFoundError' || name === 'AmbiguousZoneError' ? 404 : undefined;
}
