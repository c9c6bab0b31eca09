import { CloudStackAsyncTimeoutError, CloudStackNetworkError } from '@hostnet/cloudstack';

/** Errors that prove the request never reached CloudStack, so sending it again cannot repeat it. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * True when a mutation failed without CloudStack's answer (a timeout, a reset, an async job still
 * pending at our deadline): the server may still carry it out, so its effect must be looked for
 * before the same call is sent again.
 */
export function isUnanswered(error: unknown): boolean {
  if (error instanceof CloudStackAsyncTimeoutError) return true;
  return error instanceof CloudStackNetworkError && !NEVER_SENT.has(error.code ?? '');
}
