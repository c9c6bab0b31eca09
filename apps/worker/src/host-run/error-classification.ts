/**
 * Whether a failed host run may succeed on retry. Adapters classify their own errors at the edge
 * (`permanent` on SSH errors, `transient` on CloudStack errors); validation errors are permanent.
 * Anything unclassified is retried: a bounded number of retries costs less than a host left behind.
 */
export function isPermanentFailure(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as { permanent?: unknown; transient?: unknown; isTransient?: unknown; name?: unknown };
  if (typeof e.permanent === 'boolean') return e.permanent;
  if (typeof e.transient === 'boolean') return !e.transient;
  if (typeof e.isTransient === 'boolean') return !e.isTransient;
  if (typeof e.isTransient === 'function') return !(e.isTransient as () => boolean).call(error);
  return PERMANENT_NAMES.has(String(e.name));
}

const PERMANENT_NAMES = new Set([
  'IntentValidationError',
  'ProfileError',
  'ProfileLoadError',
  'UnsupportedOsError',
  'RenderError',
  'HostNotFoundError',
  'SpecError',
]);

/** A one-line reason for operators; never a stack or a secret. */
export function failureReason(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 2000);
  return String(error).slice(0, 2000);
}
