import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { HostStatusRepository } from '../hosts/host-status.repository';
import type { HostStatusRecord } from '../hosts/host-status.types';
import { HostStatusCache } from './host-status.cache';

describe('HostStatusCache (real Redis, through HostStatusRepository)', () => {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `hostnet-status-cache-spec-${randomBytes(4).toString('hex')}`;
  const repository = new HostStatusRepository(redis, prefix);
  const record = (hostId: string, phase: HostStatusRecord['phase'], at: string): HostStatusRecord => ({ hostId, hostName: `kvm-${hostId}`, zoneId: 'z1', phase, at });

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('sees new, changed and vanished hosts, and reads old `applied` records as verified', async () => {
    await repository.record(record('h1', 'queued', '2026-01-01T00:00:01.000Z'));
    // A record from before `verified` existed, written as the old api wrote it.
    await redis
      .multi()
      .set(`${prefix}:status:latest:h2`, JSON.stringify({ ...record('h2', 'enabled', '2026-01-01T00:00:02.000Z'), phase: 'applied' }))
      .zadd(`${prefix}:status:index`, Date.parse('2026-01-01T00:00:02.000Z'), 'h2')
      .exec();
    const cache = new HostStatusCache(repository);

    const first = await cache.current(0);
    expect([...first.values()].map((r) => [r.hostId, r.phase])).toEqual([['h1', 'queued'], ['h2', 'verified']]);
    const version = cache.version;

    await repository.record(record('h1', 'applying', '2026-01-01T00:00:03.000Z'));
    await redis.zrem(`${prefix}:status:index`, 'h2');
    const second = await cache.current(0);
    expect([...second.values()].map((r) => [r.hostId, r.phase])).toEqual([['h1', 'applying']]);
    expect(cache.version).toBe(version + 1);

    await cache.refresh();
    expect(cache.version).toBe(version + 1);
  });

  it("drops a POST /hosts/add record once its keys expired (no more 'need attention' for it)", async () => {
    const pending = 'pending-192-168-100-26';
    await repository.record({ ...record(pending, 'failed', new Date().toISOString()), hostName: 'kvm6' });
    const cache = new HostStatusCache(repository);
    expect([...(await cache.current(0)).keys()]).toContain(pending);
    await redis.del(...['latest', 'brief', 'history'].map((kind) => `${prefix}:status:${kind}:${pending}`)); // as the expiry does
    await cache.refresh();
    expect([...(await cache.current(0)).keys()]).not.toContain(pending);
  });

  it('indexWithScores lists every host with the time of its last record', async () => {
    expect(await repository.indexWithScores()).toEqual([['h1', Date.parse('2026-01-01T00:00:03.000Z')]]);
  });
});
