import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import type { KvmHost } from '@hostnet/cloudstack/domain/zone-network-topology';
import { decideForHost } from '../poller/host-selection';
import { HostStatusRepository, PENDING_RECORD_TTL_SECONDS } from './host-status.repository';
import type { HostStatusRecord } from './host-status.types';

describe('HostStatusRepository briefs: the poller reads a few fields per host, not whole records (real Redis)', () => {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `hostnet-status-brief-spec-${randomBytes(4).toString('hex')}`;
  const repository = new HostStatusRepository(redis, prefix);
  const whole: HostStatusRecord = {
    hostId: 'h1',
    hostName: 'kvm1',
    zoneId: 'z1',
    phase: 'failed',
    specHash: 'a'.repeat(64),
    reason: 'step netplan-apply exited 1',
    at: '2026-01-01T00:00:01.000Z',
    outcome: { status: 'failed', target: 'netplan-linux', diff: { files: [{ path: '/etc/netplan/50-cloudstack.yaml', change: 'update' }], live: [] } },
  } as HostStatusRecord;

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('answers phase, spec, reason and time of each host in the order asked, undefined for hosts never recorded', async () => {
    await repository.record(whole);
    await repository.record({ hostId: 'h2', hostName: 'kvm2', zoneId: 'z1', phase: 'queued', at: '2026-01-01T00:00:02.000Z' });
    expect(await repository.briefMany(['h2', 'nope', 'h1'])).toEqual([
      { phase: 'queued', at: '2026-01-01T00:00:02.000Z' },
      undefined,
      { phase: 'failed', specHash: 'a'.repeat(64), reason: 'step netplan-apply exited 1', at: '2026-01-01T00:00:01.000Z' },
    ]);
    expect((await repository.latestMany(['h1']))[0]).toEqual(whole);
  });

  it('appendHistoryOrFirst: the first record of a host hostnet never recorded, history alone after that', async () => {
    const queued: HostStatusRecord = { hostId: 'h9', hostName: 'kvm9', zoneId: 'z1', phase: 'queued', dryRun: true, at: '2026-01-01T00:00:09.000Z' };
    await repository.appendHistoryOrFirst(queued);
    expect(await repository.latest('h9')).toEqual(queued);
    expect(await repository.briefMany(['h9'])).toEqual([{ phase: 'queued', dryRun: true, at: queued.at }]);

    const enabled: HostStatusRecord = { hostId: 'h9', hostName: 'kvm9', zoneId: 'z1', phase: 'enabled', at: '2026-01-01T00:00:10.000Z' };
    await repository.record(enabled);
    const again: HostStatusRecord = { ...queued, at: '2026-01-01T00:00:11.000Z' };
    await repository.appendHistoryOrFirst(again);
    expect(await repository.latest('h9')).toEqual(enabled);
    expect((await repository.history('h9')).map((r) => r.at)).toEqual([again.at, enabled.at, queued.at]);
  });

  it("a dry-run's result keeps no dryRun in the brief: the poller reads the phase it kept as the host's (an operator's disable after hostnet enabled it holds)", async () => {
    const checked: HostStatusRecord = { hostId: 'h10', hostName: 'kvm10', zoneId: 'z1', phase: 'enabled', specHash: 'a'.repeat(64), dryRun: true, drifted: false, at: '2026-01-01T00:00:12.000Z' };
    await repository.record(checked);
    const [brief] = await repository.briefMany(['h10']);
    expect(brief).toEqual({ phase: 'enabled', specHash: 'a'.repeat(64), at: checked.at });
    const disabled = { id: 'h10', name: 'kvm10', zoneId: 'z1', podId: 'p1', clusterId: 'c1', state: 'Up', resourceState: 'Disabled', hypervisor: 'KVM' } as KvmHost;
    expect(decideForHost(disabled, () => 'a'.repeat(64), brief)).toMatchObject({ action: 'skip' });
  });

  it('reads a host recorded by an api without briefs from its whole record (old `applied` as verified)', async () => {
    await redis.set(`${prefix}:status:latest:h3`, JSON.stringify({ hostId: 'h3', hostName: 'kvm3', zoneId: 'z1', phase: 'applied', specHash: 'b'.repeat(64), at: '2026-01-01T00:00:03.000Z' }));
    expect(await repository.briefMany(['h1', 'h3'])).toEqual([
      expect.objectContaining({ phase: 'failed' }),
      { phase: 'verified', specHash: 'b'.repeat(64), at: '2026-01-01T00:00:03.000Z' },
    ]);
    // the next record writes its brief: the whole record is no longer read for it
    await repository.record({ hostId: 'h3', hostName: 'kvm3', zoneId: 'z1', phase: 'enabled', specHash: 'b'.repeat(64), at: '2026-01-01T00:00:04.000Z' });
    expect(await redis.get(`${prefix}:status:brief:h3`)).toBe(JSON.stringify({ phase: 'enabled', at: '2026-01-01T00:00:04.000Z', specHash: 'b'.repeat(64) }));
  });

  it("carries a relabel host step's rollout id in the brief, for the poller", async () => {
    await repository.record({ hostId: 'h4', hostName: 'kvm4', zoneId: 'z1', phase: 'verified', specHash: 'c'.repeat(64), at: '2026-01-01T00:00:05.000Z', relabel: { rolloutId: 'rl-1', layout: 'new', restartAgent: true } });
    expect(await repository.briefMany(['h4'])).toEqual([{ phase: 'verified', specHash: 'c'.repeat(64), at: '2026-01-01T00:00:05.000Z', relabelRolloutId: 'rl-1' }]);
  });

  it("keeps a host's last 100 records, newest first, and indexes hosts by the time of their last record", async () => {
    for (let i = 0; i < 103; i++) {
      await repository.record({ hostId: 'h5', hostName: 'kvm5', zoneId: 'z1', phase: 'queued', runId: `r${i}`, at: new Date(Date.UTC(2026, 0, 2, 0, 0, i)).toISOString() });
    }
    const history = await repository.history('h5');
    expect([history.length, history[0]!.runId, history.at(-1)!.runId]).toEqual([100, 'r102', 'r3']);
    expect((await repository.latest('h5'))?.runId).toBe('r102');
    expect((await repository.indexWithScores()).find(([id]) => id === 'h5')).toEqual(['h5', Date.UTC(2026, 0, 2, 0, 1, 42)]);
    await expect(repository.record({ hostId: 'h6', hostName: 'kvm6', zoneId: 'z1', phase: 'queued', at: 'yesterday' })).rejects.toThrow('"at" "yesterday" is not a time');
    expect(await repository.latest('h6')).toBeUndefined();
  });

  it("lets a POST /hosts/add record (pending-<ip>) expire a week after its last record, a CloudStack host's never, and drops it from the list once gone", async () => {
    const pending = 'pending-192-168-100-26';
    await repository.record({ hostId: pending, hostName: 'kvm6', zoneId: 'z1', phase: 'failed', reason: 'ssh: connect ECONNREFUSED', at: new Date().toISOString() });
    await repository.appendHistory({ hostId: pending, hostName: 'kvm6', zoneId: 'z1', phase: 'failed', at: new Date().toISOString() });
    await repository.record({ hostId: 'h7', hostName: 'kvm7', zoneId: 'z1', phase: 'failed', at: new Date().toISOString() });
    for (const kind of ['latest', 'brief', 'history']) {
      expect(await redis.ttl(`${prefix}:status:${kind}:${pending}`)).toBeGreaterThan(PENDING_RECORD_TTL_SECONDS - 60);
      expect(await redis.ttl(`${prefix}:status:${kind}:h7`)).toBe(-1);
    }
    expect((await repository.all()).map((r) => r.hostId)).toContain(pending);
    await redis.del(...['latest', 'brief', 'history'].map((kind) => `${prefix}:status:${kind}:${pending}`)); // as the expiry does
    // the dashboard's cache reads the index: the expired record leaves it there too
    expect((await repository.indexWithScores()).map(([id]) => id)).not.toContain(pending);
    expect((await repository.all()).map((r) => r.hostId)).not.toContain(pending);
    expect(await redis.zscore(`${prefix}:status:index`, pending)).toBeNull();
  });

  it('discards a failed add record at once (the add sent again under a corrected address), never a CloudStack host', async () => {
    const pending = 'pending-192-168-100-99';
    await repository.record({ hostId: pending, hostName: 'kvm6', zoneId: 'z1', phase: 'failed', at: new Date().toISOString() });
    await repository.discardAddRecord(pending);
    expect((await repository.all()).map((r) => r.hostId)).not.toContain(pending);
    expect(await repository.history(pending)).toEqual([]);
    expect(await redis.zscore(`${prefix}:status:index`, pending)).toBeNull();
    await expect(repository.discardAddRecord('h1')).rejects.toThrow('host h1: only an add record (pending-<ip>) may be discarded');
    expect(await repository.latest('h1')).toBeDefined();
  });

  it('keeps an add record sent again for the same IP between the prune reading it expired and removing it', async () => {
    for (const [n, prune] of [[1, (r: HostStatusRepository) => r.indexWithScores()], [2, (r: HostStatusRepository) => r.all()]] as const) {
      const pending = `pending-192-168-100-${30 + n}`;
      const add = (at: string) => repository.record({ hostId: pending, hostName: `kvm-add${n}`, zoneId: 'z1', phase: 'queued', at });
      await add(new Date(Date.now() - 60_000).toISOString());
      await redis.del(...['latest', 'brief', 'history'].map((kind) => `${prefix}:status:${kind}:${pending}`)); // as the expiry does
      // a POST /hosts/add for the same IP records, right after the prune's MGET saw the old record missing
      let interleaved = false;
      const racing = new Proxy(redis, {
        get(target, name, receiver) {
          if (name !== 'mget') return Reflect.get(target, name, receiver);
          return async (...args: unknown[]) => {
            const read = await (target.mget as (...a: unknown[]) => Promise<(string | null)[]>).apply(target, args);
            if (!interleaved) {
              interleaved = true;
              await add(new Date().toISOString());
            }
            return read;
          };
        },
      });
      await prune(new HostStatusRepository(racing, prefix));
      expect(interleaved).toBe(true);
      expect(await redis.zscore(`${prefix}:status:index`, pending)).not.toBeNull();
      expect((await repository.indexWithScores()).map(([id]) => id)).toContain(pending);
      expect((await repository.all()).map((r) => r.hostId)).toContain(pending);
    }
  });
});
