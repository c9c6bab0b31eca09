import { Logger } from '@nestjs/common';

/** While an outage lasts, one line a minute says it still does. */
export const REDIS_ERROR_LOG_INTERVAL_MS = 60_000;

/** What can report Redis errors: an ioredis client, a BullMQ Queue, Worker or QueueEvents. */
export interface RedisErrorSource {
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'ready', listener: () => void): unknown;
}

/**
 * Logs a connection's errors through the app's logger, rate-limited: one line on the first error, one a
 * minute while errors go on, one when it is ready again. Without a listener ioredis prints each reconnect's
 * error with its stack to the console ("[ioredis] Unhandled error event"), and so does BullMQ for a Queue or
 * Worker: around a hundred lines a minute per connection, none of them through the app's JSON logs.
 */
export function logRedisErrors(source: RedisErrorSource, name: string, logger: Pick<Logger, 'warn' | 'log'> = new Logger('Redis'), now: () => number = Date.now): void {
  let since: number | undefined;
  let lastLogged = 0;
  let lastError = 0;
  let errors = 0;
  source.on('error', (error: Error) => {
    const at = now();
    errors += 1;
    // A Queue or Worker says nothing when it recovers: an error after a quiet minute starts a new outage.
    const quiet = at - lastError >= REDIS_ERROR_LOG_INTERVAL_MS;
    lastError = at;
    if (since === undefined || quiet) {
      since = at;
      lastLogged = at;
      errors = 0;
      logger.warn(`${name}: Redis error: ${error.message} (retrying; logged once a minute while it lasts)`);
    } else if (at - lastLogged >= REDIS_ERROR_LOG_INTERVAL_MS) {
      lastLogged = at;
      logger.warn(`${name}: Redis still failing after ${Math.round((at - since) / 1000)} s (${errors} errors since the first): ${error.message}`);
    }
  });
  source.on('ready', () => {
    if (since === undefined) return;
    logger.log(`${name}: Redis reachable again after ${Math.round((now() - since) / 1000)} s`);
    since = undefined;
  });
}
