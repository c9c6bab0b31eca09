import { Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { JobName, QueueName, type ApplyOutcomeSummary, type ConfigureHostJobData, type ResolveHostJobData, type ResolveOutcomeSummary } from '@hostnet/contracts';
import { HostNetworkProcessor } from './host-network.processor';
import type { HostRunService } from './host-run/host-run.service';
import { ResultReporter } from './reporting/result-reporter.service';
import type { HostResolveService } from './resolve/host-resolve.service';
import { ResolveJobHandler } from './resolve/resolve-job.handler';

describe('HostNetworkProcessor: a run or resolve is reported only by the worker holding its job (real Redis, real BullMQ)', () => {
  const connection = { url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' };
  const prefix = `hostnet-processor-${randomBytes(4).toString('hex')}`;
  const hostJobs = new Queue(QueueName.HostNetwork, { connection, prefix });
  const results = new Queue(QueueName.HostResults, { connection, prefix });
  const taker = new Worker(QueueName.HostNetwork, null, { connection, prefix, autorun: false });
  const redis = new Redis(connection.url);
  const outcome = { status: 'failed', reason: 'the host changed after this run read its facts' } as ApplyOutcomeSummary;
  const resolved = { status: 'rolled-back', detail: 'restored the files and links of run r1' } as ResolveOutcomeSummary;
  const reporter = new ResultReporter(results);
  const resolves = new ResolveJobHandler({ resolve: async () => resolved } as unknown as HostResolveService, reporter);
  const processor = new HostNetworkProcessor({ run: async () => outcome } as unknown as HostRunService, reporter, resolves);
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
    await expect(processor.process(stalled, 'token-a')).resolves.toEqual({ status: outcome.status });
    expect((await results.getJobCounts('waiting')).waiting).toBe(1);
  });

  it('a restart an attempt recorded as owed before it died reaches the next attempt, read back from Redis', async () => {
    const seen: (true | undefined)[] = [];
    const runs = {
      run: async (data: ConfigureHostJobData, _progress: unknown, _last: boolean, oweAgentRestart?: () => Promise<void>) => {
        seen.push(data.agentRestartOwed);
        if (seen.length > 1) return { status: 'no-op' } as ApplyOutcomeSummary;
        // the first attempt changes the agent's bridge map: it records the restart before applying, then is lost
        await oweAgentRestart?.();
        throw new Error('connection lost after the confirm');
      },
    };
    const crashing = new HostNetworkProcessor(runs as unknown as HostRunService, reporter, resolves);
    await hostJobs.add(JobName.ConfigureHost, data('h5'), { jobId: 'host-h5', attempts: 2 });
    const first = (await taker.getNextJob('token-a'))!;
    await expect(crashing.process(first, 'token-a')).rejects.toThrow('connection lost');
    await first.moveToFailed(new Error('connection lost after the confirm'), 'token-a');
    const second = (await taker.getNextJob('token-a'))!;
    expect(second.id).toBe('host-h5');
    await crashing.process(second, 'token-a');
    expect(seen).toEqual([undefined, true]);
  });

  it("does the same for an operator's resolve: a stalled worker's late rollback report does not take the holder's place", async () => {
    const resolve = (hostId: string): ResolveHostJobData => ({ zoneId: 'z1', hostId, hostName: hostId, action: 'rollback', reason: 'operator', trigger: { kind: 'operator' }, requestId: `resolve-${hostId}`, requestedAt: new Date().toISOString() });
    const before = (await results.getJobCounts('waiting')).waiting;
    await hostJobs.add(JobName.ResolveHost, resolve('h3'), { jobId: 'resolve-h3' });
    const held = (await taker.getNextJob('token-a'))!;
    await expect(processor.process(held, 'token-a')).resolves.toEqual({ status: resolved.status });
    expect((await results.getJobCounts('waiting')).waiting).toBe(before + 1);

    await hostJobs.add(JobName.ResolveHost, resolve('h4'), { jobId: 'resolve-h4' });
    const stalled = (await taker.getNextJob('token-a'))!;
    await redis.set(`${prefix}:${QueueName.HostNetwork}:resolve-h4:lock`, 'token-b');
    await expect(processor.process(stalled, 'token-a')).resolves.toEqual({ status: resolved.status });
    expect((await results.getJobCounts('waiting')).waiting).toBe(before + 1);
  });
});
