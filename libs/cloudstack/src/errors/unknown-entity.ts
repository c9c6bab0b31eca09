import { CloudStackApiError } from './cloudstack-error';

/**
 * Whether CloudStack refused `parameter` because it names nothing: an unknown uuid comes back as
 * 431 "Invalid parameter <name> value=<uuid> due to incorrect long value format, or entity does not
 * exist …", not as an empty list. Callers turn that into their own "not found".
 */
export function isUnknownEntityError(error: unknown, parameter: string): boolean {
  if (!(error instanceof CloudStackApiError) || error.kind !== 'param') return false;
  return new RegExp(`\\bparameter ${parameter} value=`, 'i').test(error.errorText);
}
