import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { isPendingHostId } from '@hostnet/host-spec';
import type { HostStatusBrief, HostStatusRecord, RejectedResultRecord } from './host-status.types';

/**
 * api's Redis for its own keys: REQUEST_REDIS (fail-fast) on an HTTP request's path, BACKGROUND_REDIS (waits for
 * Redis) in background work (asBackgroundWork), routed per call.
 */
export const STATUS_REDIS = Symbol('STATUS_REDIS');
/** Fails at once while Redis is out and replays nothing: a request answers 503 instead of running later. */
export const REQUEST_REDIS = Symbol('REQUEST_REDIS');
/** Waits for Redis to come back (offline queue, no retry limit): results, poller, drift, relabel runner. */
export const BACKGROUND_REDIS = Symbol('BACKGROUND_REDIS');
export const STATUS_PREFIX = Symbol('STATUS_PREFIX');
const HISTORY_LENGTH = 100;
/**
 * How long a POST /hosts/add record (pending-<ip>) outlives its last record. Its host is CloudStack's
 * under its own id once added, and a failed add is cleared by sending the add again (the same id, a new
 * latest record) or by this expiry; nothing else would ever clear it.
 */
export const PENDING_RECORD_TTL_SECONDS = 7 * 24 * 3600;

/**
 * A record in one command, atomic as MULTI was: latest, brief, the history (kept to its length) and the index.
 * MULTI sent seven commands and read seven replies for it; a host's run records three to five of them, and at
 * fleet scale that was among api's largest CPU costs per host (measured: 40 µs of client CPU against 12).
 */
const RECORD = `redis.call('SET', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ARGV[2])
redis.call('LPUSH', KEYS[3], ARGV[1])
redis.call('LTRIM', KEYS[3], 0, tonumber(ARGV[3]) - 1)
redis.call('ZADD', KEYS[4], ARGV[4], ARGV[5])
local ttl = tonumber(ARGV[6])
if ttl > 0 then
  redis.call('EXPIRE', KEYS[1], ttl)
  redis.call('EXPIRE', KEYS[2], ttl)
  redis.call('EXPIRE', KEYS[3], ttl)
end
return 1`;

/** RECORD when the host has no latest record yet, else the history alone (same keys and arguments). */
const FIRST_OR_HISTORY = `if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('LPUSH', KEYS[3], ARGV[1])
  redis.call('LTRIM', KEYS[3], 0, tonumber(ARGV[3]) - 1)
  if tonumber(ARGV[6]) > 0 then redis.call('EXPIRE', KEYS[3], tonumber(ARGV[6])) end
  return 0
end
${RECORD}`;

/**
 * Drops expired add records' ids from the index, each only while its latest key is still missing: a POST /hosts/add
 * for the same IP recorded after the caller read it missing (RECORD sets latest and ZADDs in one step) stays listed.
 * KEYS[1] the index, KEYS[i+1] the latest key of ARGV[i]; answers the ids removed.
 */
const PRUNE_EXPIRED = `local removed = {}
for i = 1, #ARGV do
  if redis.call('EXISTS', KEYS[i + 1]) == 0 then
    redis.call('ZREM', KEYS[1], ARGV[i])
    removed[#removed + 1] = ARGV[i]
  end
end
return removed`;

/** Hosts' latest status and history in Redis: durable across api restarts and shared by replicas. */
@Injectable()
export class HostStatusRepository implements OnApplicationShutdown {
  constructor(
    @Inject(STATUS_REDIS) private readonly redis: Redis,
    @Inject(STATUS_PREFIX) private readonly prefix: string,
  ) {}

  async record(entry: HostStatusRecord): Promise<void> {
    await this.write(RECORD, entry);
  }

  /**
   * History only, as appendHistory, unless hostnet has no record of the host yet: then it is the host's first, so
   * a dry-run queued for a host hostnet never ran is listed (GET /hosts) and found (GET /hosts/:id) at once.
   */
  async appendHistoryOrFirst(entry: HostStatusRecord): Promise<void> {
    await this.write(FIRST_OR_HISTORY, entry);
  }

  private async write(script: string, entry: HostStatusRecord): Promise<void> {
    const at = Date.parse(entry.at);
    if (!Number.isFinite(at)) throw new Error(`status record of host ${entry.hostId}: "at" ${JSON.stringify(entry.at)} is not a time`);
    const { hostId } = entry;
    const keys = [this.key('latest', hostId), this.key('brief', hostId), this.key('history', hostId), this.indexKey()];
    await this.redis.eval(script, keys.length, ...keys, JSON.stringify(entry), JSON.stringify(briefOf(entry)), HISTORY_LENGTH, at, hostId, ttlOf(hostId));
  }

  /** History only: for a record that says nothing new about where the host stands. */
  async appendHistory(entry: HostStatusRecord): Promise<void> {
    const key = this.key('history', entry.hostId);
    const ttl = ttlOf(entry.hostId);
    const append = this.redis.multi().lpush(key, JSON.stringify(entry)).ltrim(key, 0, HISTORY_LENGTH - 1);
    await (ttl > 0 ? append.expire(key, ttl) : append).exec();
  }

  async latest(hostId: string): Promise<HostStatusRecord | undefined> {
    const json = await this.redis.get(this.key('latest', hostId));
    return json ? parseRecord(json) : undefined;
  }

  /** Latest status of many hosts in one round trip, in the order asked. */
  async latestMany(hostIds: string[]): Promise<(HostStatusRecord | undefined)[]> {
    if (hostIds.length === 0) return [];
    const values = await this.redis.mget(hostIds.map((id) => this.key('latest', id)));
    return values.map((json) => (json ? parseRecord(json) : undefined));
  }

  /**
   * The poller's view of many hosts' latest status in one round trip, in the order asked. A pass over a
   * zone read and parsed every host's whole record (outcome, checks, diff) before: at 300 hosts the
   * largest part of api's CPU in the bench. A host recorded by an api without briefs is read whole.
   */
  async briefMany(hostIds: string[]): Promise<(HostStatusBrief | undefined)[]> {
    if (hostIds.length === 0) return [];
    const values = await this.redis.mget(hostIds.map((id) => this.key('brief', id)));
    const briefs: (HostStatusBrief | undefined)[] = values.map((json) => (json ? (JSON.parse(json) as HostStatusBrief) : undefined));
    const missing = hostIds.filter((_, i) => briefs[i] === undefined);
    if (missing.length === 0) return briefs;
    const records = new Map((await this.latestMany(missing)).map((r, i) => [missing[i]!, r]));
    return hostIds.map((id, i) => briefs[i] ?? briefOf(records.get(id)));
  }

  async history(hostId: string, limit = HISTORY_LENGTH): Promise<HostStatusRecord[]> {
    const items = await this.redis.lrange(this.key('history', hostId), 0, limit - 1);
    return items.map(parseRecord);
  }

  /** Kept apart from the history: a refused result says nothing about where the host stands. */
  async recordRejected(entry: RejectedResultRecord): Promise<void> {
    const key = `${this.prefix}:status:rejected:${entry.hostId}`;
    await this.redis.multi().lpush(key, JSON.stringify(entry)).ltrim(key, 0, HISTORY_LENGTH - 1).exec();
  }

  async rejected(hostId: string): Promise<RejectedResultRecord[]> {
    const items = await this.redis.lrange(`${this.prefix}:status:rejected:${hostId}`, 0, HISTORY_LENGTH - 1);
    return items.map((json) => JSON.parse(json) as RejectedResultRecord);
  }

  /** Every host id in the status index with the time (ms) of its last record, oldest first. */
  async indexWithScores(): Promise<[hostId: string, atMs: number][]> {
    const flat = await this.redis.zrange(this.indexKey(), 0, -1, 'WITHSCORES');
    const out: [string, number][] = [];
    for (let i = 0; i < flat.length; i += 2) out.push([flat[i]!, Number(flat[i + 1])]);
    const pending = out.map(([id]) => id).filter(isPendingHostId);
    if (pending.length === 0) return out;
    // an add record's keys expire (PENDING_RECORD_TTL_SECONDS): its id leaves the index with them
    const present = await this.redis.mget(pending.map((id) => this.key('latest', id)));
    const missing = pending.filter((_, i) => present[i] === null);
    if (missing.length === 0) return out;
    const expired = new Set(await this.pruneExpired(missing));
    return out.filter(([id]) => !expired.has(id));
  }

  /** Latest status of every host hostnet has seen, most recently changed first. */
  async all(): Promise<HostStatusRecord[]> {
    const ids = await this.redis.zrevrange(this.indexKey(), 0, -1);
    const records = await this.latestMany(ids);
    // an expired add record leaves its id in the index: dropped from it here, where it is first missed
    const expired = ids.filter((id, i) => records[i] === undefined && isPendingHostId(id));
    if (expired.length > 0) await this.pruneExpired(expired);
    return records.filter((r): r is HostStatusRecord => r !== undefined);
  }

  /**
   * Removes from the index those of `hostIds` (add records read missing) whose latest key is still missing now, in
   * one atomic step: a ZREM after the read would drop a record sent again for the same IP in between.
   */
  private async pruneExpired(hostIds: readonly string[]): Promise<string[]> {
    const keys = [this.indexKey(), ...hostIds.map((id) => this.key('latest', id))];
    return (await this.redis.eval(PRUNE_EXPIRED, keys.length, ...keys, ...hostIds)) as string[];
  }

  /**
   * Removes a failed POST /hosts/add record (pending-<ip>) at once, as its expiry would: the add sent again for the
   * host under a corrected address replaces it. Never a host CloudStack knows: only an add record may go.
   */
  async discardAddRecord(hostId: string): Promise<void> {
    if (!isPendingHostId(hostId)) throw new Error(`host ${hostId}: only an add record (pending-<ip>) may be discarded`);
    await this.redis.multi().del(this.key('latest', hostId), this.key('brief', hostId), this.key('history', hostId)).zrem(this.indexKey(), hostId).exec();
  }

  /** Claims a key once (webhook event ids, poller ticks); false when someone claimed it already. */
  async claimOnce(name: string, ttlSeconds: number): Promise<boolean> {
    const ok = await this.redis.set(`${this.prefix}:once:${name}`, '1', 'EX', ttlSeconds, 'NX');
    return ok === 'OK';
  }

  /** Gives a claim back, so a retried delivery of something that failed half-way is not a duplicate. */
  async release(name: string): Promise<void> {
    await this.redis.del(`${this.prefix}:once:${name}`);
  }

  /** Last of the shutdown hooks: services that use this connection stop in onModuleDestroy, before it closes. */
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }

  private key(kind: 'latest' | 'brief' | 'history', hostId: string): string {
    return `${this.prefix}:status:${kind}:${hostId}`;
  }

  private indexKey(): string {
    return `${this.prefix}:status:index`;
  }
}

/** Seconds a host's records live after its last one; 0: for ever (every host CloudStack knows). */
function ttlOf(hostId: string): number {
  return isPendingHostId(hostId) ? PENDING_RECORD_TTL_SECONDS : 0;
}

/** Records written before `verified` existed called that phase `applied`. */
function parseRecord(json: string): HostStatusRecord {
  const record = JSON.parse(json) as Omit<HostStatusRecord, 'phase'> & { phase: HostStatusRecord['phase'] | 'applied' };
  return { ...record, phase: record.phase === 'applied' ? 'verified' : record.phase };
}

function briefOf(record: HostStatusRecord): HostStatusBrief;
function briefOf(record: HostStatusRecord | undefined): HostStatusBrief | undefined;
function briefOf(record: HostStatusRecord | undefined): HostStatusBrief | undefined {
  if (!record) return undefined;
  const { phase, specHash, reason, at, relabel, dryRun, dryRunIncomplete } = record;
  return {
    phase,
    at,
    ...(specHash !== undefined ? { specHash } : {}),
    ...(reason !== undefined ? { reason } : {}),
    ...(relabel ? { relabelRolloutId: relabel.rolloutId } : {}),
    // a dry-run's own queued record only: a dry-run's result keeps the phase it found (enabled, verified), which the
    // poller's operator hold and in-progress rule read as the host's, as they always did
    ...(dryRun && phase === 'queued' ? { dryRun } : {}),
    ...(dryRunIncomplete ? { dryRunIncomplete } : {}),
  };
}
