import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import type { RelabelPlan } from '@hostnet/relabel';
import { relabelHeldKey, relabelZoneKey } from './relabel-keys';
import { ENDED_STATES, type RelabelRollout, type RolloutCallRecord } from './relabel-rollout.types';
import { releaseOwned } from '../runs/owned-key';

/** Rollouts read (newest first, every zone) for the one-per-zone check, the hosts earlier ones left behind and the relabel steps a host's records name. */
export const ROLLOUTS_READ = 1000;

/**
 * Writes the record only when its stored version is the one the writer read (KEYS[1] hash: version, json).
 * The write that ends the rollout (ARGV[4] = 1) also releases, in the same step, the hosts it holds
 * (KEYS[2], ARGV[6..] still held by rollout ARGV[5]) and its zone (KEYS[3]): no crash can leave them held.
 */
const COMPARE_AND_SET = `
if redis.call('HGET', KEYS[1], 'version') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'version', ARGV[2], 'json', ARGV[3])
if ARGV[4] == '1' then
  for i = 6, #ARGV do
    if redis.call('HGET', KEYS[2], ARGV[i]) == ARGV[5] then redis.call('HDEL', KEYS[2], ARGV[i]) end
  end
  if redis.call('GET', KEYS[3]) == ARGV[5] then redis.call('DEL', KEYS[3]) end
end
return 1`;

/** Thrown when a rollout id names nothing. */
export class RolloutNotFoundError extends Error {
  override readonly name = 'RolloutNotFoundError';
}

/**
 * Rollouts in Redis: the mutable record (hash: version + json, compare-and-set on every write), the plan
 * beside it (immutable), the CloudStack calls as an append-only list, and an index by creation time.
 * Every replica and every restart reads the same state; nothing of it lives only in a process.
 */
export class RelabelRolloutStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async create(rollout: RelabelRollout, plan: RelabelPlan): Promise<void> {
    const ok = await this.redis.hsetnx(this.key(rollout.id), 'version', String(rollout.version));
    if (ok !== 1) throw new Error(`rollout ${rollout.id} exists already`);
    await this.redis
      .multi()
      .hset(this.key(rollout.id), 'json', JSON.stringify(rollout))
      .set(`${this.key(rollout.id)}:plan`, JSON.stringify(plan))
      .zadd(this.indexKey(), Date.parse(rollout.createdAt), rollout.id)
      .exec();
  }

  /**
   * Claims the start of a rollout for one request (a double-click, a client's retry): its token, or undefined while another
   * start of it is under way. Expires, so a start that died holding it does not block the next.
   */
  async claimStart(id: string, ttlMs: number): Promise<string | undefined> {
    const token = randomUUID();
    return (await this.redis.set(`${this.key(id)}:starting`, token, 'PX', ttlMs, 'NX')) === 'OK' ? token : undefined;
  }

  /** Ends this start's claim only: one that outlived its expiry must not end the next start's. */
  async endStart(id: string, token: string): Promise<void> {
    await releaseOwned(this.redis, `${this.key(id)}:starting`, token);
  }

  async get(id: string): Promise<RelabelRollout> {
    const json = await this.redis.hget(this.key(id), 'json');
    if (!json) throw new RolloutNotFoundError(`no relabel rollout ${id}`);
    return JSON.parse(json) as RelabelRollout;
  }

  async plan(id: string): Promise<RelabelPlan> {
    const json = await this.redis.get(`${this.key(id)}:plan`);
    if (!json) throw new RolloutNotFoundError(`no plan for relabel rollout ${id}`);
    return JSON.parse(json) as RelabelPlan;
  }

  /** Newest first. */
  async list(limit = 100): Promise<RelabelRollout[]> {
    const ids = await this.redis.zrevrange(this.indexKey(), 0, limit - 1);
    const rows = await Promise.all(ids.map((id) => this.redis.hget(this.key(id), 'json')));
    return rows.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as RelabelRollout);
  }

  /**
   * Applies `change` to the latest record and writes it if nobody wrote in between, else re-reads and
   * applies it again. `change` returns false to write nothing (the transition no longer applies).
   */
  async update(id: string, change: (rollout: RelabelRollout) => boolean | void): Promise<RelabelRollout> {
    for (;;) {
      const current = await this.get(id);
      const next = structuredClone(current);
      if (change(next) === false) return current;
      next.version = current.version + 1;
      next.updatedAt = new Date().toISOString();
      const ends = ENDED_STATES.has(next.state) && !ENDED_STATES.has(current.state);
      const written = await this.redis.eval(
        COMPARE_AND_SET,
        3,
        this.key(id),
        relabelHeldKey(this.prefix),
        relabelZoneKey(this.prefix, next.zoneId),
        String(current.version),
        String(next.version),
        JSON.stringify(next),
        ends ? '1' : '0',
        id,
        ...(ends ? Object.keys(next.hosts) : []),
      );
      if (written === 1) return next;
    }
  }

  /** Whether the rollout has ended (or is unknown: nothing of it may hold a host or a zone). */
  async ended(id: string): Promise<boolean> {
    const json = await this.redis.hget(this.key(id), 'json');
    return json === null || ENDED_STATES.has((JSON.parse(json) as RelabelRollout).state);
  }

  async recordCall(id: string, call: RolloutCallRecord): Promise<void> {
    await this.redis.rpush(`${this.key(id)}:calls`, JSON.stringify(call));
  }

  /** In the order they were made. */
  async calls(id: string): Promise<RolloutCallRecord[]> {
    const rows = await this.redis.lrange(`${this.key(id)}:calls`, 0, -1);
    return rows.map((r) => JSON.parse(r) as RolloutCallRecord);
  }

  private key(id: string): string {
    return `${this.prefix}:relabel:rollout:${id}`;
  }

  private indexKey(): string {
    return `${this.prefix}:relabel:index`;
  }
}
