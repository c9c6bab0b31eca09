import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { configureHostJobId, type ConfigureHostJobData, type ReportResultJobData } from '@hostnet/contracts';
import type { HostNetworkIntent } from '@hostnet/intent';
import { HostRunSpecRepository } from '@hostnet/platform';
import type { HostRunSpec } from '@hostnet/host-spec';
import { RelabelHolds } from '../relabels/relabel-holds';
import { HostRunRegistry, runAllocationOf, type InFlightRun } from '../runs/host-run.registry';
import { InFlightRunChecker } from '../runs/in-flight-run.checker';
import { HostJobEnqueuer, type EnqueueHostRequest } from './host-job.enqueuer';

describe('HostJobEnqueuer (real Redis, real BullMQ queues)', () => {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `hostnet-enqueuer-spec-${randomBytes(4).toString('hex')}`;
  const redis = new Redis(url);
  const connection = { url };
  const hostJobs = new Queue<ConfigureHostJobData>('host-network', { connection, prefix });
  const results = new Queue<ReportResultJobData>('host-results', { connection, prefix });
  const holds = new RelabelHolds(redis, prefix);
  const runs = new HostRunRegistry(redis, prefix);
  const checker = new InFlightRunChecker(hostJobs, results);
  const specs = new HostRunSpecRepository(redis, prefix);
  const enqueuer = new HostJobEnqueuer(hostJobs, runs, checker, holds, specs);
  const request = (hostId: string, mode: 'apply' | 'dry-run', kind: 'drift' | 'operator'): EnqueueHostRequest => ({
    zoneId: 'z1', hostId, hostName: hostId, specHash: `spec-${hostId}`, mode, force: false, trigger: { kind },
  });
  const specOf = (r: EnqueueHostRequest): HostRunSpec => ({
    host: { id: r.hostId, name: r.hostName, ipAddress: '192.0.2.10', zoneId: r.zoneId },
    intent: { hostId: r.hostId } as HostNetworkIntent,
    specHash: r.specHash,
  });
  const enqueue = (r: EnqueueHostRequest, by = enqueuer) => by.enqueue(r, specOf(r));

  afterAll(async () => {
    await hostJobs.obliterate({ force: true });
    await results.obliterate({ force: true });
    await hostJobs.close();
    await results.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('an add() whose reply Redis lost keeps the run claimed, so the stored job\'s result is accepted, and says it may have been queued', async () => {
    // the job is stored, then the connection closes before its reply (what a fail-fast client rejects, replaying nothing)
    const lostReply = { add: async (...args: Parameters<typeof hostJobs.add>) => { await hostJobs.add(...args); throw new Error('Connection is closed.'); }, getJob: (id: string) => hostJobs.getJob(id) } as unknown as typeof hostJobs;
    const lossy = new HostJobEnqueuer(lostReply, runs, checker, holds, specs);
    await expect(enqueue(request('h-lost', 'apply', 'operator'), lossy)).rejects.toThrow(/^host h-lost may have been queued \(Redis went away while it was being added\)/);
    const stored = await hostJobs.getJob(configureHostJobId('h-lost'));
    expect(stored).toBeDefined();
    expect((await runs.current('h-lost'))?.runId).toBe(stored!.data.requestId);
    await stored!.remove();
    await runs.release('h-lost', stored!.data.requestId);
  });

  it('an apply asked while a drift check runs is refused with the reason, not answered by the dry-run', async () => {
    const drift = await enqueue(request('h1', 'dry-run', 'drift'));
    expect(drift.enqueued).toBe(true);
    const apply = await enqueue(request('h1', 'apply', 'operator'));
    expect(apply).toMatchObject({ enqueued: false, runId: drift.runId, skipped: expect.stringMatching(/^a drift check of this host \(run .*\) is in flight; ask again/) });
    expect(await hostJobs.getJobCounts('waiting')).toMatchObject({ waiting: 1 });
  });

  it('a second dry-run joins the first, and an apply joins an apply', async () => {
    const first = await enqueue(request('h2', 'dry-run', 'operator'));
    expect(await enqueue(request('h2', 'dry-run', 'drift'))).toEqual({ jobId: first.jobId, enqueued: false, runId: first.runId });
    const apply = await enqueue(request('h3', 'apply', 'operator'));
    expect(await enqueue(request('h3', 'apply', 'operator'))).toEqual({ jobId: apply.jobId, enqueued: false, runId: apply.runId });
  });

  it('a dry-run (an operator\'s or a drift check) asked while an apply runs is refused with the reason, never answered by the apply', async () => {
    const apply = await enqueue(request('h8', 'apply', 'operator'));
    for (const kind of ['operator', 'drift'] as const) {
      const dry = await enqueue(request('h8', 'dry-run', kind));
      expect(dry).toEqual({
        jobId: apply.jobId,
        enqueued: false,
        skipped: `an apply of this host (run ${apply.runId}) is in flight: its result (GET /hosts/h8) shows what it changed; ask for a dry-run once it has ended`,
      });
    }
  });

  it('a rollout that holds the host after the trigger checked (before its claim) still keeps the trigger off it', async () => {
    // The rollout's start lands between the trigger's own hold check and its claim of the host.
    class RacingRegistry extends HostRunRegistry {
      override async claim(hostId: string, run: InFlightRun): Promise<InFlightRun | undefined> {
        const current = await super.claim(hostId, run);
        await holds.hold('rl-race', [hostId]);
        return current;
      }
    }
    const racing = new HostJobEnqueuer(hostJobs, new RacingRegistry(redis, prefix), checker, holds, specs);
    const plain = await enqueue(request('h5', 'apply', 'operator'), racing);
    expect(plain).toMatchObject({ enqueued: false, skipped: 'host is held by relabel rollout rl-race until it ends (GET /relabels/rl-race)' });
    expect(plain.runId).toBeUndefined();
    expect(await runs.current('h5')).toBeUndefined(); // the claim is given back
    expect(await hostJobs.getJob('host-h5')).toBeUndefined();

    // the rollout's own step runs; another rollout's does not
    const other = await enqueue({ ...request('h5', 'apply', 'operator'), relabel: { rolloutId: 'rl-other', layout: 'both', changes: [], restartAgent: true } });
    expect(other).toMatchObject({ enqueued: false, skipped: expect.stringMatching(/held by relabel rollout rl-race/) });
    const step = await enqueue({ ...request('h5', 'apply', 'operator'), relabel: { rolloutId: 'rl-race', layout: 'both', changes: [], restartAgent: true } });
    expect(step.enqueued).toBe(true);
    expect(await runs.current('h5')).toMatchObject({ runId: step.runId, relabel: { rolloutId: 'rl-race', layout: 'both', restartAgent: true } });
  });

  it('stores the run spec by hash before the worker can see the job, and only for a run it starts', async () => {
    const started = await enqueue(request('h6', 'apply', 'operator'));
    expect(started.enqueued).toBe(true);
    expect(await specs.spec('spec-h6')).toEqual(specOf(request('h6', 'apply', 'operator')));
    expect(await redis.ttl(`${prefix}:run-spec:spec-h6`)).toBeGreaterThan(24 * 3600);
    const joining = { ...request('h6', 'apply', 'operator'), specHash: 'spec-h6-later' };
    expect((await enqueue(joining)).enqueued).toBe(false);
    expect(await specs.spec('spec-h6-later')).toBeUndefined();
    // A spec of another host or hash is a caller's bug: refused before anything is claimed.
    await expect(enqueuer.enqueue(request('h7', 'apply', 'operator'), specOf(request('h6', 'apply', 'operator')))).rejects.toThrow(/is another one/);
    expect(await runs.current('h7')).toBeUndefined();
  });

  describe("an operator's enable that joins an apply in flight", () => {
    const withheld = { atTrigger: 'Disabled', enable: false, withheld: 'the host was disabled in CloudStack after hostnet enabled it; fix: x' };
    const asked = { atTrigger: 'Disabled', enable: true, asked: true as const };
    const apply = (hostId: string, allocation: EnqueueHostRequest['allocation']): EnqueueHostRequest => ({ ...request(hostId, 'apply', 'operator'), allocation });

    it('is recorded on the run, which its result then reads; the job keeps the allocation it was enqueued with', async () => {
      const first = await enqueue(apply('h9', withheld));
      const joining = await enqueue(apply('h9', asked));
      expect(joining).toEqual({ jobId: first.jobId, enqueued: false, runId: first.runId, enableAsk: { recorded: true } });
      expect((await hostJobs.getJob('host-h9'))!.data.allocation).toEqual(withheld);
      const bound = (await runs.bindResult('h9', first.runId!, 'result-h9'))!;
      expect(bound).toMatchObject({ runId: first.runId, resultJobId: 'result-h9', allocation: withheld, enableAsked: { allocation: asked, at: expect.any(String) } });
      expect(runAllocationOf(bound).allocation).toEqual(asked);
    });

    it("is answered, not dropped, once the run's result is being handled: that run will leave the host Disabled, and what to run after it", async () => {
      const first = await enqueue(apply('h10', withheld));
      await runs.bindResult('h10', first.runId!, 'result-h10');
      const late = await enqueue(apply('h10', asked));
      expect(late).toMatchObject({ enqueued: false, runId: first.runId });
      expect(late.enableAsk).toEqual({
        recorded: false,
        why: `its result was already being handled when this request came, and it will leave the host Disabled (${withheld.withheld}); once it has ended (GET /hosts/h10), run: hostnet configure --host h10 --enable`,
      });
      expect((await runs.current('h10'))!.enableAsked).toBeUndefined();
      // a plain trigger joining says nothing about an enable
      expect((await enqueue(apply('h10', withheld))).enableAsk).toBeUndefined();
    });
  });

  it('a drift check is a dry-run or nothing', async () => {
    await expect(enqueue(request('h4', 'apply', 'drift'))).rejects.toThrow(/a drift check must be a dry-run/);
  });
});
