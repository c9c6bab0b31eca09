import { CloudStackApiError, CloudStackError, CloudStackNetworkError } from '../errors/cloudstack-error';

/** Backoff settings: `baseDelayMs * 2^(retry-1)` capped at `maxDelayMs`, then full jitter. */
export interface BackoffSettings {
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Whether a failed try should be repeated. Only transient errors (network, timeout, 5xx, 429)
 * qualify; 4xx never does. A non-idempotent command (addHost, maintenance, reconnect) is repeated
 * only when the server provably did not act on it (connection refused, 429, 503): after a timeout
 * or a 500 it may already be running, and a second submit would fail or act twice.
 */
export function shouldRetry(error: unknown, idempotent: boolean, mutation = false): boolean {
  if (!(error instanceof CloudStackError) || error.permanent) return false;
  // A mutation left unanswered may still be carried out: resending even a set-to-value update would
  // make it twice. The caller looks for its effect instead (api's HostEnableService).
  if (mutation && error instanceof CloudStackNetworkError && !error.requestNotProcessed) return false;
  if (idempotent) return true;
  if (error instanceof CloudStackApiError || error instanceof CloudStackNetworkError) {
    return error.requestNotProcessed;
  }
  return false;
}

/** "Full jitter" (AWS architecture blog): a uniform delay in [0, min(max, base·2^(retry-1))]. */
export function backoffDelayMs(retry: number, settings: BackoffSettings, random: () => number): number {
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}
