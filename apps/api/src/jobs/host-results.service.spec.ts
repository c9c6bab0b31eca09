import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { CloudStackApiError, type CloudStackClient } from '@hostnet/cloudstack';
import type { ApplyOutcomeSummary, ConfigureHostJobData, ReportResultJobData } from '@hostnet/contracts';
import type { AddHostCompletionService } from '../add-host/add-host-completion.service';
import { HostStatusRepository } from '../hosts/host-status.repository';
import { dropPrefix } from '../../../../test/support/redis-dump';
import type { HostStatusRecord } from '../hosts/host-status.types';
import type { RunMetrics } from '../metrics/run-metrics';
import { HostLock, HostLockLostError } from '../runs/host-lock';
import { HostRunRegistry, type InFlightRun } from '../runs/host-run.registry';
import { HostAddError } from '../add-host/host-add.error';
import { HostEnableService } from './host-enable.service';
import { HostResultsService, RetryableResultError } from './host-results.service';
import type { EnabledSightings } from '../runs/enabled-sightings';
import type { ResultSpecCheck, ResultSpecVerdict } from './result-spec.check';

const STALE: ResultSpecVerdict = { current: false, reason: 'CloudStack changed during the run (applied spec aaa, current spec bbb)', rerun: { topology: {} as never, host: {} as never } };
const DRY_RUN: ApplyOutcomeSummary = { status: 'dry-run', specHash: 'aaa', diff: { files: [{ path: '/etc/network/interfaces', change: 'update' }], live: [] } } as unknown as ApplyOutcomeSummary;
const applied: ApplyOutcomeSummary = { status: 'applied', specHash: 'aaa', diff: { files: [], live: [] }, verification: { ok: true, checks: [] } } as unknown as ApplyOutcomeSummary;

/** A plain apply of a host Disabled when it was triggered, by hostnet's own flow. */
const DISABLED_AT_TRIGGER = { atTrigger: 'Disabled', enable: true };

function setup(check: () => Promise<ResultSpecVerdict>, request: Partial<ConfigureHostJobData> = {}, outcome: ApplyOutcomeSummary = applied, before: HostStatusRecord[] = [], resourceState = 'Disabled', lockWaitMs = 0, seenEnabledAt?: string, adder = {} as AddHostCompletionService) {
  const events: string[] = [];
  const records: HostStatusRecord[] = [...before];
  const checkedSince: number[] = [];
  let lockedAt = 0;
  const { relabel } = request;
  const allocation = 'allocation' in request ? request.allocation : DISABLED_AT_TRIGGER;
  const run = {
    runId: 'run1', jobId: 'host-h1', mode: request.mode ?? 'apply', specHash: 'aaa', at: new Date().toISOString(),
    ...(relabel ? { relabel: { rolloutId: relabel.rolloutId, layout: relabel.layout, restartAgent: relabel.restartAgent } } : {}),
    ...(allocation ? { allocation } : {}),
  } as InFlightRun;
  const service = new HostResultsService(
    { latest: async () => records.at(-1), history: async () => [...records].reverse(), record: async (r: HostStatusRecord) => void records.push(r), recordRejected: jest.fn() } as unknown as HostStatusRepository,
    {
      enable: async (hostId: string, seen?: { id: string }, _lease?: unknown, allocate = true) => (
        events.push(`enable:${hostId}:${seen?.id ?? 'unread'}${allocate ? '' : ':reconnect-only'}`),
        { calls: [], enabled: allocate && (resourceState === 'Disabled' || resourceState === 'Enabled'), resourceState }
      ),
    } as unknown as HostEnableService,
    adder,
    {
      withLock: async (_id: string, fn: () => Promise<unknown>) => {
        await new Promise((r) => setTimeout(r, lockWaitMs));
        lockedAt = Date.now();
        return fn();
      },
    } as unknown as HostLock,
    { current: async () => run, bindResult: async () => run, release: async () => (events.push('release'), true) } as unknown as HostRunRegistry,
    { observe: jest.fn() } as unknown as RunMetrics,
    { check: async (_r: unknown, sinceMs: number) => (events.push('check'), checkedSince.push(sinceMs), check()), rerun: async (_r: unknown, runId: string, _v: unknown, kept?: { atTrigger: string }) => void events.push(`rerun:${runId}${kept ? `:${kept.atTrigger}` : ''}`) } as unknown as ResultSpecCheck,
    { lastAt: async () => seenEnabledAt } as unknown as EnabledSightings,
  );
  const data = { zoneId: 'z1', hostId: 'h1', hostName: 'kvm1', specHash: 'aaa', mode: 'apply', force: false, trigger: { kind: 'operator' }, requestId: 'run1', requestedAt: new Date().toISOString(), ...(allocation ? { allocation } : {}), ...request };
  const report = (finalAttempt = true) =>
    service.handle({ configureJobId: 'host-h1', request: data, outcome, finishedAt: new Date().toISOString(), attempts: 1 } as ReportResultJobData, 'res1', finalAttempt);
  return { report, events, records, checkedSince, lockedAt: () => lockedAt };
}

describe('HostResultsService: the spec is checked against CloudStack before enabling', () => {
  it('enables a verified run whose spec is still current, handing over the host as the re-check read it', async () => {
    const { report, events, records } = setup(async () => ({ current: true, host: { id: 'h1' } as never }));
    await expect(report()).resolves.toBe('enabled');
    expect(events).toEqual(['check', 'enable:h1:h1', 'release']);
    // the run found or made the host as its intent: not drifted, whatever a drift check said before
    expect(records.map((r) => [r.phase, r.drifted])).toEqual([['verified', false], ['enabled', false]]);
  });

  it("does not call a host in an operator's maintenance enabled: the run stands verified, with why and the fix", async () => {
    const { report, events, records } = setup(async () => ({ current: true, host: { id: 'h1' } as never }), {}, applied, [], 'Maintenance');
    await expect(report()).resolves.toBe('verified');
    expect(events).toEqual(['check', 'enable:h1:h1', 'release']);
    expect(records.map((r) => r.phase)).toEqual(['verified', 'verified']);
    expect(records.at(-1)?.reason).toMatch(/^not enabled: CloudStack shows the host in Maintenance, and hostnet enables only a Disabled host; .*fix: end the maintenance in CloudStack/);
  });

  it('words the fix by the state CloudStack shows: Error is not a maintenance to end', async () => {
    const { report, records } = setup(async () => ({ current: true, host: { id: 'h1' } as never }), {}, applied, [], 'Error');
    await expect(report()).resolves.toBe('verified');
    expect(records.at(-1)?.reason).toMatch(/^not enabled: CloudStack shows the host in Error, .*fix: see to the host in CloudStack; once it is Disabled, configure it again/);
  });

  it('does not enable a run whose spec went stale, records why, and re-runs the host once it is released', async () => {
    const { report, events, records } = setup(async () => STALE);
    await expect(report()).resolves.toBe('verified');
    // the re-run keeps the run's allocation as api recorded it at the trigger
    expect(events).toEqual(['check', 'release', 'rerun:run1:Disabled']);
    expect(records.at(-1)).toMatchObject({ phase: 'verified', specHash: 'aaa', reason: `not enabled: ${STALE.current ? '' : STALE.reason}; re-running the host for its current spec` });
  });

  it('does not re-run a re-run that went stale too', async () => {
    const { report, events, records } = setup(async () => STALE, { rerunOf: 'run0' });
    await expect(report()).resolves.toBe('verified');
    expect(events).toEqual(['check', 'release']);
    expect(records.at(-1)?.reason).toMatch(/this was already the re-run of run0, so the next trigger or poller pass applies it$/);
  });

  it('retries the result when CloudStack cannot be read, and gives up without enabling on the last attempt', async () => {
    const down = async (): Promise<ResultSpecVerdict> => Promise.reject(new Error('listZones: 503'));
    const retried = setup(down);
    await expect(retried.report(false)).rejects.toBeInstanceOf(RetryableResultError);
    expect(retried.events).toEqual(['check']);
    const last = setup(down);
    await expect(last.report(true)).resolves.toBe('enable-failed');
    expect(last.events).toEqual(['check', 'release']);
    expect(last.records.at(-1)?.reason).toMatch(/could not read the host's spec from CloudStack again before enabling: listZones: 503/);
  });

  it('records an add CloudStack refused as not added, with the way back, never as an enable CloudStack refused', async () => {
    const refused = new CloudStackApiError({ command: 'addHost', params: {}, httpStatus: 530, errorCode: 530, errorText: 'Failed to add host' });
    const adder = { complete: async () => Promise.reject(new HostAddError(refused, [{ command: 'addHost', at: 'now', ok: false, error: refused.message }], true, 're-send POST /hosts/add (hostnet add-host)')) } as unknown as AddHostCompletionService;
    const { report, records } = setup(async () => ({ current: true, host: { id: 'h1' } as never }), { pendingHost: { name: 'kvm6', ipAddress: '10.0.0.16', podId: 'p1', clusterId: 'c1' } }, applied, [], 'Disabled', 0, undefined, adder);
    await expect(report(false)).resolves.toBe('enable-failed');
    expect(records.at(-1)?.reason).toBe('not added to CloudStack: CloudStack addHost failed with HTTP 530: Failed to add host; fix: re-send POST /hosts/add (hostnet add-host)');
  });

  it('never asks for a dry-run or a relabel step (their results are not enabled here)', async () => {
    const dryRun = setup(async () => STALE, { mode: 'dry-run' }, DRY_RUN);
    await expect(dryRun.report()).resolves.toBe('dry-run');
    expect(dryRun.events).toEqual(['release']);
    const relabel = setup(async () => STALE, { relabel: { rolloutId: 'rl', layout: 'both', changes: [], restartAgent: false } });
    await expect(relabel.report()).resolves.toBe('verified');
    expect(relabel.events).toEqual(['release']);
  });

  it.each(['enabled', 'failed'] as const)("leaves a host that stood %s there after an operator's dry-run, with the dry-run's diff beside it", async (phase) => {
    const before = { hostId: 'h1', hostName: 'kvm1', zoneId: 'z1', specHash: 'aaa', phase, runId: 'run0', at: new Date().toISOString() } as HostStatusRecord;
    const { report, records } = setup(async () => STALE, { mode: 'dry-run' }, DRY_RUN, [before]);
    await expect(report()).resolves.toBe(phase);
    expect(records.at(-1)).toMatchObject({ phase, runId: 'run1', drifted: true, outcome: { status: 'dry-run' } });
  });
});

describe('HostResultsService: a run that left the agent with its old bridge map is not enabled', () => {
  const current = async (): Promise<ResultSpecVerdict> => ({ current: true, host: { id: 'h1', state: 'Alert', resourceState: 'Disabled' } as never });

  it.each([
    ['failed', 'Job for cloudstack-agent.service failed', /its restart failed \(Job for cloudstack-agent.service failed\)/],
    ['skipped', 'agent.properties names public.network.device=cloudbr1, which this host does not have', /it was not restarted \(agent.properties names public.network.device=cloudbr1, which this host does not have\)/],
  ] as const)('agent restart %s: reconnected at most, left Disabled, with why and the fix', async (status, detail, why) => {
    const outcome = { ...applied, agentRestart: { status, detail } } as ApplyOutcomeSummary;
    const { report, events, records } = setup(current, {}, outcome);
    await expect(report()).resolves.toBe('verified');
    expect(events).toEqual(['check', 'enable:h1:h1:reconnect-only', 'release']);
    expect(records.at(-1)?.reason).toMatch(new RegExp(`^not enabled: the run changed the bridges the CloudStack agent maps at its start, and ${why.source}: the agent still maps the bridges it had; .*fix: .*systemctl restart cloudstack-agent.*hostnet configure --host h1`));
  });

  it('leaves a host CloudStack already shows Enabled as it is: only its own enable is withheld', async () => {
    const enabledHost = async (): Promise<ResultSpecVerdict> => ({ current: true, host: { id: 'h1', state: 'Up', resourceState: 'Enabled' } as never });
    const { report, events } = setup(enabledHost, { allocation: { atTrigger: 'Enabled', enable: true } } as Partial<ConfigureHostJobData>, { ...applied, agentRestart: { status: 'skipped', detail: 'x' } } as ApplyOutcomeSummary, [], 'Enabled');
    await expect(report()).resolves.toBe('enabled');
    expect(events).toEqual(['check', 'enable:h1:h1', 'release']);
  });

  it('enables once the agent restarted, or needed no restart', async () => {
    for (const agentRestart of [{ status: 'restarted' }, { status: 'not-running' }, undefined] as const) {
      const { report, events } = setup(current, {}, { ...applied, ...(agentRestart ? { agentRestart } : {}) } as ApplyOutcomeSummary);
      await expect(report()).resolves.toBe('enabled');
      expect(events).toEqual(['check', 'enable:h1:h1', 'release']);
    }
  });
});

describe('HostResultsService: only a host Disabled by its own flow when triggered is enabled', () => {
  const disabledNow = async (): Promise<ResultSpecVerdict> => ({ current: true, host: { id: 'h1', state: 'Up', resourceState: 'Disabled' } as never });

  it('leaves Disabled a host someone disabled while its run was under way (it was Enabled at the trigger)', async () => {
    const { report, events, records } = setup(disabledNow, { allocation: { atTrigger: 'Enabled', enable: true } } as Partial<ConfigureHostJobData>);
    await expect(report()).resolves.toBe('verified');
    expect(events).toEqual(['check', 'enable:h1:h1:reconnect-only', 'release']);
    expect(records.at(-1)?.reason).toMatch(/^not enabled: left Disabled by choice: CloudStack showed the host Enabled when this run was triggered and shows it Disabled now: someone disabled it during the run; fix: .*"enable": true/);
  });

  it('leaves Disabled a host its trigger found Disabled by choice, with the reason and fix it gave', async () => {
    const withheld = 'the host was disabled in CloudStack after hostnet enabled it (2026-01-01T00:00:00Z); fix: enable it in CloudStack';
    const { report, events, records } = setup(disabledNow, { allocation: { atTrigger: 'Disabled', enable: false, withheld } } as Partial<ConfigureHostJobData>);
    await expect(report()).resolves.toBe('verified');
    expect(events).toEqual(['check', 'enable:h1:h1:reconnect-only', 'release']);
    expect(records.at(-1)?.reason).toBe(`not enabled: left Disabled by choice: ${withheld}`);
  });

  it('leaves Disabled a host Disabled at its trigger that the poller saw Enabled during the run', async () => {
    const later = new Date(Date.now() + 60_000).toISOString();
    const { report, records } = setup(disabledNow, {}, applied, [], 'Disabled', 0, later);
    await expect(report()).resolves.toBe('verified');
    expect(records.at(-1)?.reason).toMatch(new RegExp(`^not enabled: left Disabled by choice: CloudStack listed the host Enabled at ${later}, while this run was under way, and shows it Disabled now`));
    // a sighting from before the run says nothing about it
    const earlier = setup(disabledNow, {}, applied, [], 'Disabled', 0, '2026-01-01T00:00:00.000Z');
    await expect(earlier.report()).resolves.toBe('enabled');
  });

  it('does not enable a run recorded without the allocation its trigger saw', async () => {
    const { report, records } = setup(disabledNow, { allocation: undefined } as Partial<ConfigureHostJobData>);
    await expect(report()).resolves.toBe('verified');
    // no one chose it: the record is not a choice the next trigger would honour again (it would stay Disabled for good)
    expect(records.at(-1)?.reason).toMatch(/^not enabled: the run was recorded without the allocation state its trigger saw .*fix: configure it with "enable": true \(hostnet configure --host h1 --enable\)/);
    expect(records.at(-1)?.reason).not.toMatch(/left Disabled by choice/);
  });

  it('reads CloudStack again no earlier than when it got the host lock (the wait for it may be long)', async () => {
    const { report, checkedSince, lockedAt } = setup(disabledNow, {}, applied, [], 'Disabled', 80);
    await expect(report()).resolves.toBe('enabled');
    expect(checkedSince).toHaveLength(1);
    expect(checkedSince[0]).toBeGreaterThanOrEqual(lockedAt());
  });
});

describe('HostResultsService: a handler that lost the host lock sends CloudStack nothing (real Redis lock)', () => {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `hostnet-results-spec-${randomBytes(4).toString('hex')}`;
  const lockKey = `${prefix}:lock:host:h1`;
  afterAll(async () => {
    await redis.del(lockKey);
    await redis.quit();
  });

  it('stops before the reconnect and the enable when another replica took the host meanwhile, and records nothing more', async () => {
    const sent: string[] = [];
    const events: string[] = [];
    const records: HostStatusRecord[] = [];
    const cloudstack = {
      listHosts: async () => (sent.push('listHosts'), []),
      reconnectHost: async () => void sent.push('reconnectHost'),
      updateHostAllocation: async (_id: string, state: string) => void sent.push(`updateHost ${state}`),
    } as unknown as CloudStackClient;
    const allocation = { atTrigger: 'Disabled', enable: true };
    const run = { runId: 'run1', jobId: 'host-h1', mode: 'apply', specHash: 'aaa', at: new Date().toISOString(), allocation } as InFlightRun;
    const service = new HostResultsService(
      { latest: async () => records.at(-1), history: async () => [...records].reverse(), record: async (r: HostStatusRecord) => void records.push(r), recordRejected: jest.fn() } as unknown as HostStatusRepository,
      new HostEnableService(cloudstack, { CLOUDSTACK_TIMEOUT_MS: 1_000, CLOUDSTACK_RECONNECT_WAIT_MS: 2 * 1_000 }),
      {} as AddHostCompletionService,
      new HostLock(redis, prefix),
      { current: async () => run, bindResult: async () => run, release: async () => (events.push('release'), true) } as unknown as HostRunRegistry,
      { observe: jest.fn() } as unknown as RunMetrics,
      {
        // The re-check of CloudStack outlasted this handler's lock (its Redis out of reach): another replica holds the host now.
        check: async (): Promise<ResultSpecVerdict> => {
          await redis.set(lockKey, 'another-replica');
          return { current: true, host: { id: 'h1', state: 'Alert', resourceState: 'Disabled' } as never };
        },
        rerun: jest.fn(),
      } as unknown as ResultSpecCheck,
      { lastAt: async () => undefined } as unknown as EnabledSightings,
    );
    const request = { zoneId: 'z1', hostId: 'h1', hostName: 'kvm1', specHash: 'aaa', mode: 'apply', force: false, trigger: { kind: 'operator' }, allocation, requestId: 'run1', requestedAt: new Date().toISOString() };
    const result = { configureJobId: 'host-h1', request, outcome: applied, finishedAt: new Date().toISOString(), attempts: 1 } as ReportResultJobData;

    await expect(service.handle(result, 'res1', false)).rejects.toBeInstanceOf(HostLockLostError);
    expect(sent).toEqual([]);
    expect(records.map((r) => r.phase)).toEqual(['verified']);
    expect(events).toEqual([]);
    expect(await redis.get(lockKey)).toBe('another-replica');
  });
});

describe('HostResultsService: a dry-run of a host hostnet never ran keeps the placement its trigger derived (real Redis)', () => {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `hostnet-results-placement-${randomBytes(4).toString('hex')}`;
  const statuses = new HostStatusRepository(redis, prefix);
  afterAll(async () => {
    await dropPrefix(redis, prefix);
    await redis.quit();
  });

  it('names its zone, pod and cluster (hostnet hosts --zone zone1 finds it), not the zone uuid alone', async () => {
    const placement = { hostId: 'h9', hostName: 'kvm9', zoneId: '915685c0-074b', podId: 'pod-1', clusterId: 'cl-1', zoneName: 'zone1', podName: 'pod1', clusterName: 'cluster1' };
    // what the trigger keeps for a dry-run: its bookkeeping in the history only (Redis lost every other record)
    await statuses.appendHistory({ ...placement, phase: 'queued', specHash: 'aaa', runId: 'run9', dryRun: true, at: new Date().toISOString() });
    const run = { runId: 'run9', jobId: 'host-h9', mode: 'dry-run', specHash: 'aaa', at: new Date().toISOString() } as InFlightRun;
    const service = new HostResultsService(
      statuses,
      {} as HostEnableService,
      {} as AddHostCompletionService,
      { withLock: async (_id: string, fn: () => Promise<unknown>) => fn() } as unknown as HostLock,
      { current: async () => run, bindResult: async () => run, release: async () => true } as unknown as HostRunRegistry,
      { observe: jest.fn() } as unknown as RunMetrics,
      {} as ResultSpecCheck,
      { lastAt: async () => undefined } as unknown as EnabledSightings,
    );
    const request = { zoneId: placement.zoneId, hostId: 'h9', hostName: 'kvm9', specHash: 'aaa', mode: 'dry-run', force: false, trigger: { kind: 'operator' }, requestId: 'run9', requestedAt: new Date().toISOString() };
    await service.handle({ configureJobId: 'host-h9', request, outcome: DRY_RUN, finishedAt: new Date().toISOString(), attempts: 1 } as ReportResultJobData, 'res9', true);
    expect(await statuses.latest('h9')).toMatchObject({ phase: 'dry-run', drifted: true, zoneId: '915685c0-074b', zoneName: 'zone1', podName: 'pod1', clusterId: 'cl-1', clusterName: 'cluster1' });
  });
});

describe('HostResultsService: one reconnect per verified run, across the result\'s retries (real Redis run registry)', () => {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `hostnet-results-spec-${randomBytes(4).toString('hex')}`;
  afterAll(async () => {
    await dropPrefix(redis, prefix);
    await redis.quit();
  });

  it('a retry after a reconnect whose answer could not be read waits for the host instead of sending reconnectHost again', async () => {
    const sent: string[] = [];
    const records: HostStatusRecord[] = [];
    let state = 'Disconnected';
    const cloudstack = {
      listHosts: async () => (sent.push('listHosts'), [{ id: 'h1', state, resourceState: 'Disabled' }]),
      reconnectHost: async () => {
        sent.push('reconnectHost');
        // CloudStack carried it out, but its answer could not be read: the agent comes back on its own.
        state = 'Up';
        throw new Error('unexpected end of JSON input');
      },
      updateHostAllocation: async (_id: string, to: string) => void sent.push(`updateHost ${to}`),
    } as unknown as CloudStackClient;
    const allocation = { atTrigger: 'Disabled', enable: true };
    const run = { runId: 'run1', jobId: 'host-h1', mode: 'apply', specHash: 'aaa', at: new Date().toISOString(), allocation } as InFlightRun;
    const runs = new HostRunRegistry(redis, prefix);
    expect(await runs.claim('h1', run)).toBeUndefined();
    const service = new HostResultsService(
      { latest: async () => records.at(-1), history: async () => [...records].reverse(), record: async (r: HostStatusRecord) => void records.push(r), recordRejected: jest.fn() } as unknown as HostStatusRepository,
      new HostEnableService(cloudstack, { CLOUDSTACK_TIMEOUT_MS: 100, CLOUDSTACK_RECONNECT_WAIT_MS: 400 }),
      {} as AddHostCompletionService,
      new HostLock(redis, prefix),
      runs,
      { observe: jest.fn() } as unknown as RunMetrics,
      { check: async (): Promise<ResultSpecVerdict> => ({ current: true, host: { id: 'h1', state: 'Disconnected', resourceState: 'Disabled' } as never }), rerun: jest.fn() } as unknown as ResultSpecCheck,
      { lastAt: async () => undefined } as unknown as EnabledSightings,
    );
    const request = { zoneId: 'z1', hostId: 'h1', hostName: 'kvm1', specHash: 'aaa', mode: 'apply', force: false, trigger: { kind: 'operator' }, allocation, requestId: 'run1', requestedAt: new Date().toISOString() };
    const result = { configureJobId: 'host-h1', request, outcome: applied, finishedAt: new Date().toISOString(), attempts: 1 } as ReportResultJobData;

    await expect(service.handle(result, 'res1', false)).rejects.toBeInstanceOf(RetryableResultError);
    expect((await runs.current('h1'))?.reconnectSentAt).toEqual(expect.any(String));
    await expect(service.handle(result, 'res1', false)).resolves.toBe('enabled');
    expect(sent.filter((c) => c === 'reconnectHost')).toHaveLength(1);
    expect(sent).toEqual(['reconnectHost', 'listHosts', 'updateHost Enable']);
    expect(await runs.current('h1')).toBeUndefined();
  });
});

describe('HostResultsService: a verified run that recovered a lost connection', () => {
  const current = async (): Promise<ResultSpecVerdict> => ({ current: true, host: { id: 'h1' } as never });
  const lost = 'connection lost during verify: channel closed';

  it("enables the host without the lost connection as its reason; the run's outcome keeps it", async () => {
    const outcome = { ...applied, reason: lost, recovered: lost } as ApplyOutcomeSummary;
    const { report, records } = setup(current, {}, outcome);
    await expect(report()).resolves.toBe('enabled');
    expect(records.map((r) => [r.phase, r.reason])).toEqual([['verified', undefined], ['enabled', undefined]]);
    expect(records.at(-1)?.outcome?.reason).toBe(lost);
  });

  it('keeps what still holds after it (an agent not restarted) as the reason', async () => {
    const note = 'applied, agent not restarted: agent.properties names cloudbr9';
    const outcome = { ...applied, reason: `${lost}; ${note}`, recovered: lost } as ApplyOutcomeSummary;
    const { report, records } = setup(current, {}, outcome);
    await report();
    expect(records[0]?.reason).toBe(note);
  });
});
