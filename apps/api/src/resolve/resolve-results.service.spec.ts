import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import type { ReportResolveJobData, ResolveOutcomeSummary } from '@hostnet/contracts';
import { HostStatusRepository } from '../hosts/host-status.repository';
import type { HostStatusRecord } from '../hosts/host-status.types';
import type { HostLock } from '../runs/host-lock';
import type { HostRunRegistry, InFlightRun } from '../runs/host-run.registry';
import { ResolveAnswerStore } from './resolve-answer.store';
import { ResolveResultsService } from './resolve-results.service';

describe('ResolveResultsService (real Redis)', () => {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `hostnet-resolve-results-spec-${randomBytes(4).toString('hex')}`;
  const statuses = new HostStatusRepository(redis, prefix);
  const answers = new ResolveAnswerStore(redis, prefix);
  const enabled: HostStatusRecord = { hostId: 'h1', hostName: 'kvm1', zoneId: 'z1', phase: 'enabled', runId: 'run0', at: '2026-01-01T00:00:00.000Z' };

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  const resolveOf = async (runId: string, outcome: ResolveOutcomeSummary) => {
    const run: InFlightRun = { runId, jobId: 'resolve-h1', mode: 'resolve', specHash: '', at: new Date().toISOString() };
    const released: string[] = [];
    const service = new ResolveResultsService(
      statuses,
      { withLock: async (_id: string, fn: () => Promise<unknown>) => fn() } as unknown as HostLock,
      { current: async () => run, release: async (_h: string, id: string) => void released.push(id) } as unknown as HostRunRegistry,
      answers,
    );
    const request = { zoneId: 'z1', hostId: 'h1', hostName: 'kvm1', action: 'rollback', reason: 'double check', trigger: { kind: 'operator', by: 'bob' }, requestId: runId, requestedAt: run.at };
    const handled = await service.handle({ resolveJobId: 'resolve-h1', request, outcome, finishedAt: run.at, attempts: 1 } as ReportResolveJobData, `res-${runId}`);
    return { handled, released };
  };

  it('on a healthy host answers "nothing to resolve" and leaves its status and history exactly as they were', async () => {
    await statuses.record(enabled);
    const { handled, released } = await resolveOf('run1', { status: 'nothing-to-resolve', detail: 'run job-run0 is applied: nothing is stuck, nothing was changed', runId: 'job-run0', phaseBefore: 'applied', phaseAfter: 'applied' });

    expect([handled, released]).toEqual(['resolved', ['run1']]);
    expect(await statuses.latest('h1')).toEqual(enabled);
    expect(await statuses.history('h1')).toEqual([enabled]);
    expect(await answers.get('run1')).toMatchObject({ phase: 'resolved', runId: 'run1', resolve: { outcome: { status: 'nothing-to-resolve' } } });
  });

  it('records a rollback as the host status, in its history, and as the answer', async () => {
    await resolveOf('run2', { status: 'rolled-back', detail: 'restored', runId: 'job-stuck', phaseBefore: 'armed', phaseAfter: 'rolled-back' });

    expect(await statuses.latest('h1')).toMatchObject({ phase: 'resolved', runId: 'run2' });
    expect((await statuses.history('h1')).map((r) => r.runId)).toEqual(['run2', 'run0']);
    expect(await answers.get('run2')).toMatchObject({ runId: 'run2', resolve: { outcome: { status: 'rolled-back' } } });
  });
});
