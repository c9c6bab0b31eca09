import { randomBytes, randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import type { ConfigureHostJobData, ReportResultJobData, RunAllocation } from '@hostnet/contracts';
import { HostStatusRepository } from '../hosts/host-status.repository';
import type { HostPhase } from '../hosts/host-status.types';
import { HostLock } from '../runs/host-lock';
import { HostRunRegistry, type InFlightRun } from '../runs/host-run.registry';
import { InFlightRunChecker } from '../runs/in-flight-run.checker';
import { rerunAllocation } from '../triggers/run-allocation';
import { LostRunFinder } from './lost-runs';

/** A checker that lets something happen right after it read the queues (a result handled meanwhile). */
class InterleavedChecker extends InFlightRunChecker {
  meanwhile?: () => Promise<void>;
  override async stillInFlightMany(runs: readonly InFlightRun[]): Promise<boolean[]> {
    const alive = await super.stillInFlightMany(runs);
    const meanwhile = this.meanwhile;
    this.meanwhile = undefined;
    await meanwhile?.();
    return alive;
  }
}

describe('LostRunFinder: which hosts skipped as "in progress" have a run nothing can end any more (real Redis)', () => {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const redis = new Redis(url);
  const prefix = `hostnet-lost-runs-spec-${randomBytes(4).toString('hex')}`;
  const connection = { url };
  const hostJobs = new Queue<ConfigureHostJobData>('host-network', { connection, prefix });
  const results = new Queue<ReportResultJobData>('host-results', { connection, prefix });
  const runs = new HostRunRegistry(redis, prefix);
  const statuses = new HostStatusRepository(redis, prefix);
  const lock = new HostLock(redis, prefix);
  const checker = new InterleavedChecker(hostJobs, results);
  const finder = new LostRunFinder(runs, checker, lock, statuses);
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

  afterAll(async () => {
    await Promise.all([hostJobs.close(), results.close()]);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  /** A host whose record says `phase` since `at`, with `run` registered when given; answers the poller's candidate. */
  async function host(hostId: string, phase: HostPhase, at: string, run?: Partial<InFlightRun>) {
    const runId = run?.runId ?? `run-${randomUUID()}`;
    await statuses.record({ hostId, hostName: `kvm-${hostId}`, zoneId: 'z1', phase, at, runId });
    const registered: InFlightRun | undefined = run ? { runId, jobId: `configure-${hostId}`, mode: 'apply', specHash: 'a'.repeat(64), at, ...run } : undefined;
    if (registered) expect(await runs.claim(hostId, registered)).toBeUndefined();
    const [latest] = await statuses.briefMany([hostId]);
    return { candidate: { hostId, latest: latest! }, runId };
  }

  /** A pending result of `runId` in the results queue, as the worker adds it. */
  const pendingResult = (runId: string, opts: { delay?: number } = {}) =>
    results.add('report', { configureJobId: 'c', request: { requestId: runId } as ConfigureHostJobData, outcome: {} as ReportResultJobData['outcome'], finishedAt: minutesAgo(0), attempts: 1 }, opts);

  it('calls lost a run with no configure job and no pending result, and a queued or applying record with no run registered at all', async () => {
    const withRun = await host('l1', 'applying', minutesAgo(5), {});
    const queued = await host('l2', 'queued', minutesAgo(5));
    const applying = await host('l3', 'applying', minutesAgo(5));
    const lost = await finder.find([withRun.candidate, queued.candidate, applying.candidate]);
    expect(lost.get('l1')).toEqual({ runId: withRun.runId, why: `its record says applying, but run ${withRun.runId} has no configure job and no pending result left to end it` });
    // no run registered: the record's own run id is named, for the re-run's record
    expect(lost.get('l2')).toEqual({ runId: queued.runId, why: 'its record says queued, but api holds no run of the host in flight' });
    expect(lost.get('l3')).toEqual({ runId: applying.runId, why: 'its record says applying, but api holds no run of the host in flight' });
  });

  it('does not call lost a host whose lock is held (a result handler at work), with or without a run registered', async () => {
    const withRun = await host('k1', 'applying', minutesAgo(5), {});
    const without = await host('k2', 'queued', minutesAgo(5));
    const lost = await lock.withLock('k1', () => lock.withLock('k2', () => finder.find([withRun.candidate, without.candidate])));
    expect([...lost.keys()]).toEqual([]);
    // the same hosts, lock released: lost (so the case above can fail)
    expect([...(await finder.find([withRun.candidate, without.candidate])).keys()].sort()).toEqual(['k1', 'k2']);
  });

  it('does not call lost a run inside the enqueue grace: its record just written, or its run just claimed', async () => {
    const fresh = await host('g1', 'queued', minutesAgo(0.1));
    const freshRun = await host('g2', 'applying', minutesAgo(5), { at: minutesAgo(0.1) });
    expect([...(await finder.find([fresh.candidate, freshRun.candidate])).keys()]).toEqual([]);
    // the same record seen a minute later, nothing else changed: lost
    expect([...(await finder.find([fresh.candidate], Date.now() + 60_000)).keys()]).toEqual(['g1']);
  });

  it('does not call lost a run whose result still waits in the queue, delayed (a retry backing off) or waiting', async () => {
    const delayed = await host('r1', 'applying', minutesAgo(5), {});
    const waiting = await host('r2', 'verified', minutesAgo(5), {});
    const live = await host('r3', 'applying', minutesAgo(5), {});
    await pendingResult(delayed.runId, { delay: 60_000 });
    await pendingResult(waiting.runId);
    await hostJobs.add('configure', { requestId: live.runId } as ConfigureHostJobData, { jobId: 'configure-r3' });
    const other = await host('r4', 'applying', minutesAgo(5), {}); // its neighbours' results say nothing of it
    expect([...(await finder.find([delayed.candidate, waiting.candidate, live.candidate, other.candidate])).keys()]).toEqual(['r4']);
  });

  it('does not call lost a run whose result was handled while the finder read the queues: its end recorded, then its run released', async () => {
    const ended = await host('m1', 'applying', minutesAgo(5), {});
    checker.meanwhile = async () => {
      await statuses.record({ hostId: 'm1', hostName: 'kvm-m1', zoneId: 'z1', phase: 'verified', at: minutesAgo(0), runId: ended.runId });
    };
    expect([...(await finder.find([ended.candidate])).keys()]).toEqual([]);
    const released = await host('m2', 'applying', minutesAgo(5), {});
    checker.meanwhile = async () => void (await runs.release('m2', released.runId));
    expect([...(await finder.find([released.candidate])).keys()]).toEqual([]);
    // a queued record whose run was claimed meanwhile (an enqueue that came late)
    const claimed = await host('m3', 'queued', minutesAgo(5));
    checker.meanwhile = async () => void (await runs.claim('m3', { runId: claimed.runId, jobId: 'configure-m3', mode: 'apply', specHash: 'a'.repeat(64), at: minutesAgo(0) }));
    await runs.claim('m4', { runId: 'run-m4', jobId: 'configure-m4', mode: 'apply', specHash: 'a'.repeat(64), at: minutesAgo(5) });
    const withRun = await host('m4', 'applying', minutesAgo(5)); // a run to read the queues for
    expect([...(await finder.find([claimed.candidate, withRun.candidate])).keys()]).toEqual(['m4']);
  });

  it('does not call lost a run a result took while the finder read the queues (bound, its handler not done yet)', async () => {
    const bound = await host('b1', 'applying', minutesAgo(5), {});
    checker.meanwhile = async () => void (await runs.bindResult('b1', bound.runId, 'result-b1'));
    expect([...(await finder.find([bound.candidate])).keys()]).toEqual([]);
  });

  it("hands the re-run the lost run's allocation: an operator's enable that joined it, a withheld enable", async () => {
    const withheld: RunAllocation = { atTrigger: 'Disabled', enable: false, withheld: 'the host was disabled in CloudStack after hostnet enabled it; fix: enable it' };
    const asked: RunAllocation = { atTrigger: 'Disabled', enable: true, asked: true };
    const plain: RunAllocation = { atTrigger: 'Enabled', enable: true };
    const a = await host('a1', 'verified', minutesAgo(5), { allocation: withheld });
    const b = await host('a2', 'applying', minutesAgo(5), { allocation: withheld, enableAsked: { allocation: asked, at: minutesAgo(4), by: 'alice' } });
    const c = await host('a3', 'applying', minutesAgo(5), { allocation: plain, mode: 'dry-run' });
    const lost = await finder.find([a.candidate, b.candidate, c.candidate]);
    expect(lost.get('a1')?.allocation).toEqual(withheld);
    expect(lost.get('a2')?.allocation).toEqual(asked);
    expect(lost.has('a3') && lost.get('a3')?.allocation).toBeUndefined(); // a dry-run enables nothing
    // what the poller's trigger makes of it, seeing the host Enabled now (host-trigger.service.ts)
    const fresh: RunAllocation = { atTrigger: 'Enabled', enable: true };
    expect(rerunAllocation(lost.get('a1')?.allocation, fresh)).toEqual(withheld);
    expect(rerunAllocation(lost.get('a2')?.allocation, fresh)).toEqual(asked);
  });
});
