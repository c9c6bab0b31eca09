import type Redis from 'ioredis';

/**
 * A Redis key that holds its owner's token (a host lock, a rollout's runner lock, a zone's rollout, a start
 * claim): changed only by the owner, in one script, so an owner whose key expired and was taken never touches
 * the next owner's.
 */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/** Deletes `key` if `token` still owns it; true when it did. */
export async function releaseOwned(redis: Redis, key: string, token: string): Promise<boolean> {
  return (await redis.eval(RELEASE, 1, key, token)) === 1;
}

/** Extends `key`'s expiry to `ttlMs` if `token` still owns it; true when it did. */
export async function renewOwned(redis: Redis, key: string, token: string, ttlMs: number): Promise<boolean> {
  return (await redis.eval(RENEW, 1, key, token, ttlMs)) === 1;
}
