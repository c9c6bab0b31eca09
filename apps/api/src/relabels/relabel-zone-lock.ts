import type Redis from 'ioredis';
import { relabelZoneKey } from './relabel-keys';
import { releaseOwned } from '../runs/owned-key';

const REPLACE = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2]) return 1 end return 0`;

/**
 * At most one active rollout per zone: a Redis key per zone holding the rollout id, set with NX at start
 * (so two concurrent starts cannot both pass) and deleted by the write that ends the rollout. A key left
 * by a rollout that already ended (an api stopped in between) is taken over, never honoured.
 */
export class RelabelZoneLock {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Takes the zone for `rolloutId`; answers the id of the live rollout holding it otherwise. */
  async acquire(zoneId: string, rolloutId: string, ended: (rolloutId: string) => Promise<boolean>): Promise<string | undefined> {
    const key = relabelZoneKey(this.prefix, zoneId);
    for (;;) {
      if ((await this.redis.set(key, rolloutId, 'NX')) === 'OK') return undefined;
      const holder = await this.redis.get(key);
      if (holder === null) continue; // released in between
      if (holder === rolloutId) return undefined;
      if (!(await ended(holder))) return holder;
      if ((await this.redis.eval(REPLACE, 1, key, holder, rolloutId)) === 1) return undefined;
    }
  }

  async release(zoneId: string, rolloutId: string): Promise<void> {
    await releaseOwned(this.redis, relabelZoneKey(this.prefix, zoneId), rolloutId);
  }

  /** Frees the zone when the rollout holding it has ended (cleanup after a crash between end and release). */
  async releaseEnded(zoneId: string, ended: (rolloutId: string) => Promise<boolean>): Promise<boolean> {
    const holder = await this.redis.get(relabelZoneKey(this.prefix, zoneId));
    if (holder === null || !(await ended(holder))) return false;
    await this.release(zoneId, holder);
    return true;
  }
}
