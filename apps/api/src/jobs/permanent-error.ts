import { CloudStackError } from '@hostnet/cloudstack';

/**
 * Whether retrying cannot help: an error's own `permanent` flag when it has one, else what
 * CloudStack's client says (`isTransient`). Anything else is assumed transient (network, Redis).
 */
export function isPermanentError(error: unknown): boolean {
  const flag = error && typeof error === 'object' ? (error as { permanent?: unknown }).permanent : undefined;
  if (typeof flag === 'boolean') return flag;
  return error instanceof CloudStackError ? !error.isTransient : false;
}
