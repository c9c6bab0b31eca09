import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { Subject } from 'rxjs';
import { configureHostJobId } from '@hostnet/contracts';
import { dropPrefix } from '../../../../test/support/redis-dump';
import { HostStatusRepository } from '../hosts/host-status.repository';
import type { HostStatusRecord } from '../hosts/host-status.types';
import type { HostJobEventsSource, HostJobLiveEvent } from '../jobs/host-job-events.source';
import { HostLock } from './host-lock';
import { HostRunRegistry, type InFlightRun } from './host-run.registry';
import { RunStartRecorder } from './run-start.recorder';

describe('RunStartRecorder: applying, from the host\'s run in flight (real Redis)', () => {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `hostnet-run-start-spec-${randomBytes(4).toString('hex')}`;
  const statuses = new HostStatusRepository(redis, prefix);
  const runs = new HostRunRegistry(redis, prefix);
  const events = new Subject<HostJobLiveEvent>();
  const recorder = new RunStartRecorder({ events: events.asObservable() } as unknown as HostJobEventsSource, runs, statuses, new HostLock(redis, prefix));
  recorder.onModuleInit();

  afterAll(async () => {
    recorder.onModuleDestroy();
    await dropPrefix(redis, prefix);
    await redis.quit();
  });

  const at = () => new Date().toISOString();
  const run = (hostId: string, runId: string, mode: InFlightRun['mode'] = 'apply'): InFlightRun => ({ runId, jobId: configureHostJobId(hostId), mode, specHash: 's1', at: at() });
  const queued = (hostId: string, runId: string): HostStatusRecord => ({ hostId, hostName: hostId, phase: 'queued', runId, at: at() }) as HostStatusRecord;
  const active = (hostId: string) => events.next({ state: 'active', jobId: configureHostJobId(hostId), hostId, at: at() });
  /** The phase the host stands in once the recorder had the time to act on an event. */
  const phaseAfter = async (hostId: string) => {
    await new Promise((r) => setTimeout(r, 100));
    return (await statuses.latest(hostId))?.phase;
  };

  it("records applying over its own run's queued record, once the worker takes the job", async () => {
    await runs.claim('h1', run('h1', 'r1'));
    await statuses.record(queued('h1', 'r1'));
    active('h1');
    expect(await phaseAfter('h1')).toBe('applying');
    expect((await statuses.history('h1')).map((r) => r.phase)).toEqual(['applying', 'queued']);
  });

  it('changes nothing for a dry-run, for another run than the one queued, or with no run in flight', async () => {
    await runs.claim('h2', run('h2', 'r2', 'dry-run'));
    await statuses.record(queued('h2', 'r2'));
    active('h2');
    expect(await phaseAfter('h2')).toBe('queued');

    await runs.claim('h3', run('h3', 'r3-new'));
    await statuses.record(queued('h3', 'r3-old'));
    active('h3');
    expect(await phaseAfter('h3')).toBe('queued');

    await statuses.record(queued('h4', 'r4'));
    active('h4');
    events.next({ state: 'active', jobId: 'resolve-h4', at: at() });
    expect(await phaseAfter('h4')).toBe('queued');
  });
});
