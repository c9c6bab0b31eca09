import { Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { JobName, QueueName, type ApplyOutcomeSummary, type ConfigureHostJobData } from '@hostnet/contracts';
import { HostNetworkProcessor } from './host-network.processor';
import type { HostRunService } from './host-run/host-run.service';
import { ResultReporter } from './reporting/result-reporter.service';
import type { ResolveJobHandler } from './resolve/resolve-job.handler';

describe('HostNetworkProcessor: a run is reported only by the worker holding its job (real Redis, real BullMQ)', () => {
  const connection = { url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' };
  const prefix = `hostnet-processor-${randomBytes(4).toString('hex')}`;
  const hostJobs = new Queue(QueueName.HostNetwork, { connection, prefix });
  const results = new Queue(QueueName.HostResults, { connection, prefix });
  const taker = new Worker(QueueName.HostNetwork, null, { connection, prefix, autorun: false });
  const redis = new Redis(connection.url);
  const outcome = { status: 'failed', reason: 'the host changed after this run read its facts' } as ApplyOutcomeSummary;
  const processor = new HostNetworkProcessor({ run: async () => outcome } as unknown as HostRunService, new ResultReporter(results), {} as ResolveJobHandler);
  afterAll(async () => {
    await taker.close();
    await Promise.all([hostJobs.obliterate({ force: true }), results.obliterate({ force: true })]);
    await Promise.all([hostJobs.close(), results.close()]);
    await redis.quit();
  });

  const data = (hostId: string): ConfigureHostJobData =>
    ({ zoneId: 'z1', hostId, hostName: hostId, specHash: 'a'.repeat(64), mode: 'apply', force: false, trigger: { kind: 'operator' }, requestId: `run-${hostId}`, requestedAt: new Date().toISOString() }) as ConfigureHostJobData;

  it('reports while it holds the job, and stays silent once the job stalled and another worker holds it', async () => {
    await hostJobs.add(JobName.ConfigureHost, data('h1'), { jobId: 'host-h1' });
    const held = (await taker.getNextJob('token-a'))!;
    await processor.process(held, 'token-a');
    expect((await results.getJobCounts('waiting')).waiting).toBe(1);

    await hostJobs.add(JobName.ConfigureHost, data('h2'), { jobId: 'host-h2' });
    const stalled = (await taker.getNextJob('token-a'))!;
    await redis.set(`${prefix}:${QueueName.HostNetwork}:host-h2:lock`, 'token-b');
    await expect(processor.process(stalled, 'token-a')).resolves.toEqual(outcome);
    expect((await results.getJobCounts('waiting')).waiting).toBe(1);
  });
});
