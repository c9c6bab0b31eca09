import type Redis from 'ioredis';
import type { RedisOptions } from 'ioredis';
import { connectRedis, type RedisConnectionConfig } from './redis-connection';
import { variableOf, whereRedisIs } from './redis-reachable';

/**
 * For a client whose caller waits on each answer (api's requests): while Redis is unreachable a command
 * fails at once instead of waiting in ioredis's offline queue, and nothing is kept to be sent when Redis
 * returns (a refused trigger must not run later). BullMQ's "Failing fast when Redis is down" pattern;
 * never for a Worker's or QueueEvents' connection, which BullMQ needs to wait (maxRetriesPerRequest null).
 */
export const FAIL_FAST_REDIS_OPTIONS = { enableOfflineQueue: false, maxRetriesPerRequest: 0, autoResendUnfulfilledCommands: false } as const satisfies RedisOptions;

/** A fail-fast client, connected: without an offline queue, a command sent before it is ready would fail. */
export async function connectFailFast(config: RedisConnectionConfig, logAs: string): Promise<Redis> {
  const client = connectRedis(config, { ...FAIL_FAST_REDIS_OPTIONS, lazyConnect: true }, logAs);
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw error;
  }
  return client;
}

/** ioredis's own words (one server or Sentinel's master, a Cluster) for a command it refused while disconnected. */
const OUTAGE_MESSAGES = new Set([
  "Stream isn't writeable and enableOfflineQueue options is false",
  "Cluster isn't ready and enableOfflineQueue options is false",
  'Connection is closed.',
]);

/**
 * A Redis outage that met a request after it may have changed something (an add() whose reply was lost): `known`
 * says what is known of it, in place of "queued nothing", which would not be true.
 */
export class RedisOutageAfterEffectError extends Error {
  constructor(readonly known: string, override readonly cause: unknown) {
    super(`${known} (${cause instanceof Error ? cause.message : String(cause)})`);
    this.name = 'RedisOutageAfterEffectError';
  }
}

/** An error a fail-fast client raises because Redis is out of reach (not a command's own error). */
export function isRedisOutage(error: unknown): boolean {
  if (error instanceof RedisOutageAfterEffectError) return true;
  if (!(error instanceof Error)) return false;
  return error.name === 'MaxRetriesPerRequestError' || OUTAGE_MESSAGES.has(error.message);
}

/** What api answers (503) to a request Redis' outage refused: where Redis is, the fix, and what of it may still run (nothing, unless `error` says). */
export function redisOutageMessage(config: RedisConnectionConfig, error?: unknown): string {
  const known = error instanceof RedisOutageAfterEffectError ? error.known : 'this request queued nothing and nothing of it will run later';
  return (
    `Redis at ${whereRedisIs(config)} is unreachable, so hostnet can neither read nor record runs: ${known}; ` +
    `fix: start Redis there (or correct ${variableOf(config)}), then ask again (GET /health answers redis: true once it is back)`
  );
}
