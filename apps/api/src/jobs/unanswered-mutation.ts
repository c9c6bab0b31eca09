import { CloudStackApiError, CloudStackAsyncTimeoutError, CloudStackNetworkError } from '@hostnet/cloudstack';

/** True when the request provably never reached CloudStack or was turned away unprocessed (refused, 429, 503). */
export function neverSent(error: unknown): boolean {
  return (error instanceof CloudStackNetworkError || error instanceof CloudStackApiError) && error.requestNotProcessed;
}

/**
 * True when a mutation failed without CloudStack's answer (a timeout, a reset, an async job still
 * pending at our deadline): the server may still carry it out, so its effect must be looked for
 * before the same call is sent again.
 */
export function isUnanswered(error: unknown): boolean {
  if (error instanceof CloudStackAsyncTimeoutError) return true;
  return error instanceof CloudStackNetworkError && !error.requestNotProcessed;
}
