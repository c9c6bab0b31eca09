import Redis, { Cluster, type RedisOptions } from 'ioredis';
import { ConfigError, type HostnetEnv } from '@hostnet/config';
import { logRedisErrors } from './redis-error-log';
import { redisOptionsFromUrl } from './redis-options';

/** What picks hostnet's Redis: REDIS_URL alone, or with a Cluster's seeds or a Sentinel set. */
export type RedisConnectionConfig = Pick<HostnetEnv, 'REDIS_URL'> &
  Partial<Pick<HostnetEnv, 'REDIS_CLUSTER_NODES' | 'REDIS_SENTINELS' | 'REDIS_SENTINEL_NAME'>>;

/**
 * A new client of the Redis the config names: one server, the master a Sentinel set names, or a
 * Cluster (REDIS_URL's credentials and TLS apply to every node). A Cluster comes typed as Redis: it
 * answers the same commands, and hostnet only sends it ones whose keys share its prefix's slot.
 */
export function connectRedis(config: RedisConnectionConfig, overrides: RedisOptions = {}, logAs?: string): Redis {
  const client = newClient(config, { ...redisOptionsFromUrl(config.REDIS_URL), ...overrides });
  if (logAs) logRedisErrors(client, logAs);
  return client;
}

function newClient(config: RedisConnectionConfig, options: RedisOptions): Redis {
  if (config.REDIS_CLUSTER_NODES) return clusterClient(config.REDIS_CLUSTER_NODES, options) as unknown as Redis;
  if (config.REDIS_SENTINELS) return new Redis({ ...options, sentinels: config.REDIS_SENTINELS, name: config.REDIS_SENTINEL_NAME });
  return new Redis(options);
}

function clusterClient(nodes: { host: string; port: number }[], options: RedisOptions): Cluster {
  if (options.db) throw new ConfigError(['REDIS_URL must name database 0 (or none) with REDIS_CLUSTER_NODES: a Redis Cluster has no other']);
  const { username, password, tls, maxRetriesPerRequest, connectTimeout, enableOfflineQueue, autoResendUnfulfilledCommands, lazyConnect } = options;
  return new Cluster(nodes, {
    enableOfflineQueue,
    lazyConnect,
    redisOptions: { username, password, tls, maxRetriesPerRequest, connectTimeout, ...(autoResendUnfulfilledCommands === false ? { autoResendUnfulfilledCommands } : {}) },
  });
}
