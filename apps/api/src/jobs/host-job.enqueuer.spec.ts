import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import type { ConfigureHostJobData, ReportResultJobData } from '@hostnet/contracts';
import { HostRunRegistry } from '../runs/host-run.registry';
import { InFlightRunChecker } from '../runs/in-flight-run.checker';
import { HostJobEnqueuer, type EnqueueHostRequest } from './host-job.enqueuer';

describe('HostJobEnqueuer (real Redis, real BullMQ queues)', () => {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `hostnet-enqueuer-spec-${randomBytes(4).toString('hex')}`;
  const redis = new Redis(url);
  const connection = { url };
  const hostJobs = new Queue<ConfigureHostJobData>('host-network', { connection, prefix });
  const results = new Queue<ReportResultJobData>('host-results', { connection, prefix });
  const enqueuer = new HostJobEnqueuer(hostJobs, new HostRunRegistry(redis, prefix), new InFlightRunChecker(hostJobs, results));
  const request = (hostId: string, mode: 'apply' | 'dry-run', kind: 'drift' | 'operator'): EnqueueHostRequest => ({
    zoneId: 'z1', hostId, hostName: hostId, specHash: 'spec', mode, force: false, trigger: { kind },
  });

  afterAll(async () => {
    await hostJobs.obliterate({ force: true });
    await results.obliterate({ force: true });
    await hostJobs.close();
    await results.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('an apply asked while a drift check runs is refused with the reason, not answered by the dry-run', async () => {
    const drift = await enqueuer.enqueue(request('h1', 'dry-run', 'drift'));
    expect(drift.enqueued).toBe(true);
    const apply = await enqueuer.enqueue(request('h1', 'apply', 'operator'));
    expect(apply).toMatchObject({ enqueued: false, runId: drift.runId, skipped: expect.stringMatching(/^a drift check of this host \(run .*\) is in flight; ask again/) });
    expect(await hostJobs.getJobCounts('waiting')).toMatchObject({ waiting: 1 });
  });

  it('a second dry-run joins the first, and an apply joins an apply', async () => {
    const first = await enqueuer.enqueue(request('h2', 'dry-run', 'operator'));
    expect(await enqueuer.enqueue(request('h2', 'dry-run', 'drift'))).toEqual({ jobId: first.jobId, enqueued: false, runId: first.runId });
    const apply = await enqueuer.enqueue(request('h3', 'apply', 'operator'));
    expect(await enqueuer.enqueue(request('h3', 'apply', 'operator'))).toEqual({ jobId: apply.jobId, enqueued: false, runId: apply.runId });
  });

  it('a drift check is a dry-run or nothing', async () => {
    await expect(enqueuer.enqueue(request('h4', 'apply', 'drift'))).rejects.toThrow(/a drift check must be a dry-run/);
  });
});
