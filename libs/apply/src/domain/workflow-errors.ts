import { HostnetError } from '@hostnet/contracts';

/**
 * A run that cannot start because its input is wrong (bad run id, a rendered path outside the allowed
 * locations…). Nothing was changed on the host; retrying cannot help, hence `permanent`.
 */
export class WorkflowValidationError extends HostnetError {
  readonly permanent = true;
}
