import { isPermanentError } from '@hostnet/contracts';

/**
 * Whether a failed host run may succeed on retry: only the `permanent` flag every hostnet error
 * carries decides (set where the error is raised). Anything else is retried: a bounded number of
 * attempts costs less than a host left behind.
 */
export function isPermanentFailure(error: unknown): boolean {
  return isPermanentError(error);
}

/** A one-line reason for operators; never a stack or a secret. */
export function failureReason(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 2000);
  return String(error).slice(0, 2000);
}
