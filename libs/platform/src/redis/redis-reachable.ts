import { connectRedis, type RedisConnectionConfig } from './redis-connection';

/** How long an app waits at start for its Redis before it gives up, naming REDIS_URL. */
export const REDIS_STARTUP_WAIT_MS = 10_000;

/** The app's Redis did not answer at start. */
export class RedisUnreachableError extends Error {
  override readonly name = 'RedisUnreachableError';
}

/**
 * Resolves once the Redis the config names answers PING, else throws a RedisUnreachableError naming the variable,
 * where it pointed (credentials left out) and why, within `withinMs`. Without it an app whose Redis is
 * absent hangs in its start-up, its clients retrying forever, and a stop signal waits on them too.
 */
export async function assertRedisReachable(config: RedisConnectionConfig, withinMs = REDIS_STARTUP_WAIT_MS): Promise<void> {
  const client = connectRedis(config, { connectTimeout: Math.min(2_000, withinMs), retryStrategy: () => 200 });
  let lastError = 'no answer';
  client.on('error', (error: Error) => {
    lastError = error.message;
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), withinMs)));
  try {
    const answer = await Promise.race([client.ping().catch((error: Error) => error), timeout]);
    if (answer === 'PONG') return;
    const why = answer instanceof Error ? answer.message : lastError;
    throw new RedisUnreachableError(`cannot reach Redis at ${whereRedisIs(config)} within ${withinMs / 1000} s (${why}): start Redis there or fix ${variableOf(config)}`);
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}

/** The Redis the config names, for an operator: host, port and database, never the credentials. */
export function whereRedisIs(config: RedisConnectionConfig): string {
  if (config.REDIS_CLUSTER_NODES) return `the Redis Cluster ${config.REDIS_CLUSTER_NODES.map((n) => `${n.host}:${n.port}`).join(',')}`;
  if (config.REDIS_SENTINELS) return `the master ${config.REDIS_SENTINEL_NAME ?? ''} of Sentinels ${config.REDIS_SENTINELS.map((n) => `${n.host}:${n.port}`).join(',')}`;
  try {
    const url = new URL(config.REDIS_URL);
    return `${url.protocol}//${url.host}${url.pathname.length > 1 ? url.pathname : ''}`;
  } catch {
    return 'REDIS_URL';
  }
}

/** The variable an operator fixes to point hostnet at its Redis. */
export function variableOf(config: RedisConnectionConfig): string {
  if (config.REDIS_CLUSTER_NODES) return 'REDIS_CLUSTER_NODES (and REDIS_URL for credentials)';
  if (config.REDIS_SENTINELS) return 'REDIS_SENTINELS / REDIS_SENTINEL_NAME';
  return 'REDIS_URL';
}
