/**
 * Base of every hostnet error. `permanent` is decided where the error is raised (the adapter or
 * validator that knows what went wrong): true when running the same job again cannot succeed
 * (bad input, bad credentials, unsupported host), false when a later attempt may (timeouts, resets,
 * 5xx). Callers read only this flag, never class names.
 */
export abstract class HostnetError extends Error {
  abstract readonly permanent: boolean;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * The one retry rule: only a hostnet error flagged permanent stops retries. Anything else (an
 * unknown error from a library, a look-alike with the same name) counts as transient, so a
 * bounded number of attempts decides instead.
 */
export function isPermanentError(error: unknown): boolean {
  return error instanceof HostnetError && error.permanent;
}
