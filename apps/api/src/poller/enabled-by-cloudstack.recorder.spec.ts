import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { dropPrefix } from '../../../../test/support/redis-dump';
import { HostStatusRepository } from '../hosts/host-status.repository';
import type { HostStatusRecord } from '../hosts/host-status.types';
import { HostLock } from '../runs/host-lock';
import { HostRunRegistry } from '../runs/host-run.registry';
import { EnabledByCloudStackRecorder } from './enabled-by-cloudstack.recorder';

describe('EnabledByCloudStackRecorder (real Redis)', () => {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `hostnet-enabled-by-cs-${randomBytes(4).toString('hex')}`;
  const statuses = new HostStatusRepository(redis, prefix);
  const runs = new HostRunRegistry(redis, prefix);
  const recorder = new EnabledByCloudStackRecorder(statuses, new HostLock(redis, prefix), runs);
  const REASON = 'CloudStack shows the host Up and Enabled again';
  const verified = (hostId: string, at: string): HostStatusRecord => ({
    hostId, hostName: hostId, zoneId: 'z', phase: 'verified', specHash: 's', runId: 'r1', at,
    reason: 'not enabled: CloudStack shows the host in Maintenance, …; fix: end the maintenance in CloudStack (cancelHostMaintenance) when the host is ready',
    cloudstackCalls: [], outcome: { status: 'applied' },
  });

  afterAll(async () => {
    await dropPrefix(redis, prefix);
    await redis.quit();
  });

  it('records the run enabled, keeping its run and outcome, without the not-enabled fix or calls', async () => {
    await statuses.record(verified('h1', '2026-01-01T00:00:00.000Z'));
    expect(await recorder.record('h1', '2026-01-01T00:00:00.000Z', REASON)).toBe(true);
    const latest = await statuses.latest('h1');
    expect(latest).toMatchObject({ phase: 'enabled', runId: 'r1', specHash: 's', reason: REASON, outcome: { status: 'applied' }, trigger: { kind: 'poller' } });
    expect(latest).not.toHaveProperty('cloudstackCalls');
    // done once: the next pass finds it enabled
    expect(await recorder.record('h1', latest!.at, REASON)).toBe(false);
  });

  it('records nothing when a run is in flight or the record changed since the pass read it', async () => {
    await statuses.record(verified('h2', '2026-01-01T00:00:00.000Z'));
    await runs.claim('h2', { runId: 'r2', jobId: 'host-h2', mode: 'apply', specHash: 's', at: new Date().toISOString() });
    expect(await recorder.record('h2', '2026-01-01T00:00:00.000Z', REASON)).toBe(false);
    await runs.release('h2', 'r2');
    await statuses.record({ ...verified('h2', '2026-01-01T00:00:01.000Z'), phase: 'queued' });
    expect(await recorder.record('h2', '2026-01-01T00:00:00.000Z', REASON)).toBe(false);
    expect((await statuses.latest('h2'))!.phase).toBe('queued');
  });
});
