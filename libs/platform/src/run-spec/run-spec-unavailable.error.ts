import { HostnetError } from '@hostnet/contracts';

/**
 * The run's spec is not in Redis as the job names it (expired, never stored, or another host's): the
 * worker cannot know what to apply without asking CloudStack, which it must not, so the job ends.
 */
export class RunSpecUnavailableError extends HostnetError {
  readonly permanent = true;
}
