import type { RedisOptions } from 'ioredis';
import { ConfigError } from '@hostnet/config';

/**
 * ioredis options from a redis:// or rediss:// URL. maxRetriesPerRequest is null because BullMQ
 * workers block on Redis and must not give up on a slow reply.
 */
export function redisOptionsFromUrl(url: string): RedisOptions {
  const parsed = parseUrl(url);
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new ConfigError([`REDIS_URL must start with redis:// or rediss:// (got ${parsed.protocol})`]);
  }
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new ConfigError(['REDIS_URL database must be a number, e.g. redis://host:6379/0']);
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port ? Number(parsed.port) : 6379,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
  };
}

/** Node's URL error carries the input, password included: replace it with one that names the fix. */
function parseUrl(url: string): URL {
  try {
    return new URL(url);
  } catch {
    throw new ConfigError(['REDIS_URL is not a URL; write it as redis://[user:password@]host:6379/0']);
  }
}
