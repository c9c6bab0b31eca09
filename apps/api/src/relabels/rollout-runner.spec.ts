import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { planRelabel, type RelabelStrategyInput } from '@hostnet/relabel';
import { buildZone } from '../../../../libs/relabel/test-support/zone-builder';
import { dropPrefix } from '../../../../test/support/redis-dump';
import { RelabelHolds } from './relabel-holds';
import { relabelZoneKey } from './relabel-keys';
import { RelabelZoneLock } from './relabel-zone-lock';
import type { RelabelRunnerOptions } from './relabel-ports';
import { RelabelRolloutStore } from './relabel-rollout.store';
import type { HostStepRecord, RelabelRollout } from './relabel-rollout.types';
import { newRollout } from './rollout-record.factory';
import { RolloutRunner } from './rollout-runner';
import { applyAction, RolloutConflictError } from './rollout-transitions';
import { FakeCloudStack, FakeHostSteps } from './test-support/fake-rollout-ports';

const OPTIONS: RelabelRunnerOptions = { pollMs: 5, stepTimeoutMs: 5_000, hostWaitTimeoutMs: 10_000, concurrency: 4, lockTtlMs: 3_000, restoreRetryMs: 60_000 };
/** Two clusters of three: cluster1 kvm1-3, cluster2 kvm4-6; Public (agent-tagged) moves from cloudbr1 to cloudbr5. */
const ZONE = buildZone({ clusterSizes: [3, 3] });
const PUBLIC = [{ physicalNetwork: 'Physical Network 2', trafficType: 'Public', newLabel: 'cloudbr5' }];

describe('RolloutRunner: the relabel state machine on real Redis', () => {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `hostnet-relabel-spec-${randomBytes(4).toString('hex')}`;
  const store = new RelabelRolloutStore(redis, prefix);
  const holds = new RelabelHolds(redis, prefix);
  const zoneLock = new RelabelZoneLock(redis, prefix);
  let cloudstack: FakeCloudStack;
  let steps: FakeHostSteps;

  afterAll(async () => {
    await dropPrefix(redis, prefix);
    await redis.quit();
  });
  beforeEach(() => {
    cloudstack = new FakeCloudStack(ZONE);
    steps = new FakeHostSteps();
  });

  const logs: string[] = [];
  const runner = (id: string) =>
    new RolloutRunner(id, { redis, prefix, store, cloudstack, steps, holds, options: OPTIONS, log: (m) => logs.push(m) });
  /** Runs to the end; on anything else says why (the runner's log and the record's last error). */
  const runToEnd = async (id: string) => {
    const exit = await runner(id).run();
    if (exit !== 'ended') throw new Error(`runner exited ${exit}: ${(await store.get(id)).lastError ?? ''}\n${logs.join('\n')}`);
    return exit;
  };

  async function planned(strategy: RelabelStrategyInput = { canary: 1, maxUnavailable: 1, abortAfter: 1 }): Promise<RelabelRollout> {
    const plan = planRelabel({ topology: ZONE, changes: PUBLIC, strategy, publicVlans: [10] });
    const rollout = newRollout(plan, ZONE, { zone: 'zone1', changes: PUBLIC, strategy });
    await store.create(rollout, plan);
    await holds.hold(rollout.id, Object.keys(rollout.hosts));
    return rollout;
  }
  const act = (id: string, action: Parameters<typeof applyAction>[1]) => store.update(id, (r) => applyAction(r, action, 'spec'));
  const until = async (what: string, check: () => boolean | Promise<boolean>, ms = 10_000) => {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const commands = () => cloudstack.calls.map((c) => c.command);
  const clusterOf = (hostId: string) => ZONE.hosts.find((h) => h.id === hostId)?.clusterId ?? 'zone';

  it('runs expand → freeze → one flip → switch → canary and waves, within maxUnavailable per cluster, to done', async () => {
    const { id } = await planned();
    await act(id, 'start');
    expect(await runToEnd(id)).toBe('ended');

    const done = await store.get(id);
    expect(done).toMatchObject({ state: 'done', phase: 'finished', flipped: ['tt-public'], frozen: [], failedHosts: [] });
    expect(cloudstack.labels.get('tt-public')).toBe('cloudbr5');
    expect(commands().filter((c) => c === 'updateTrafficType')).toHaveLength(1);
    // every expand run ended before the freeze, the freeze before the flip, the flip before any switch or contract run
    const flipAt = cloudstack.calls.find((c) => c.command === 'updateTrafficType')!.at;
    const disables = cloudstack.calls.filter((c) => c.command === 'updateHost' && c.arg === 'Disable');
    expect(disables).toHaveLength(6);
    expect(disables.every((c) => c.at <= flipAt)).toBe(true);
    for (const host of ZONE.hosts) expect(steps.layoutsOf(host.name)).toEqual(['both', 'both', 'new']);
    expect(steps.runs.filter((r) => r.purpose === 'expand').every((r) => !r.restartAgent)).toBe(true);
    expect(steps.runs.filter((r) => r.purpose !== 'expand').every((r) => r.restartAgent)).toBe(true);
    // canary first, never two hosts of a cluster in maintenance, every host back Enabled
    expect(cloudstack.calls.find((c) => c.command === 'prepareHostForMaintenance')?.id).toBe('host-1');
    for (const n of cloudstack.maxInMaintenancePerCluster(clusterOf).values()) expect(n).toBeLessThanOrEqual(1);
    expect(commands().filter((c) => c === 'prepareHostForMaintenance')).toHaveLength(6);
    expect([...cloudstack.hosts.values()].every((h) => h.resourceState === 'Enabled')).toBe(true);
    // every verified run of each host (an expand without agent restart too) is reported settled with the host as
    // the rollout saw it after the run, so its status can say enabled; the last one saw it back Up and Enabled
    for (const host of ZONE.hosts) {
      const runs = steps.runs.filter((r) => r.hostId === host.id).map((r) => r.runId);
      const settled = steps.settledRuns.filter((s) => s.hostId === host.id);
      // (a switch seen Disabled under the freeze is reported again once the rollout enabled the host)
      expect([...new Set(settled.map((s) => s.runId))]).toEqual(runs);
      expect(settled.at(-1)!.seen).toEqual({ state: 'Up', resourceState: 'Enabled' });
    }
    // every call is in the rollout's record, the hosts are free for normal runs again
    // (recorded when each call ends, so calls made at once may be listed in either order)
    const recorded = (await store.calls(id)).filter((c) => c.command !== 'listHosts').map((c) => `${c.command} ${c.hostId ?? c.params['id']}`);
    expect(recorded.sort()).toEqual(cloudstack.calls.map((c) => `${c.command} ${c.id}`).sort());
    expect(await holds.heldBy('host-1')).toBeUndefined();
  });

  it('pause lets the steps in flight finish and starts no new one; resume continues to done', async () => {
    const { id } = await planned();
    steps.durationMs = 60;
    await act(id, 'start');
    const first = runner(id).run();
    await until('two expand runs started', () => steps.runs.length >= 2);
    await act(id, 'pause');
    expect(await first).toBe('waiting');
    const paused = await store.get(id);
    expect(paused.state).toBe('paused');
    expect(Object.values(paused.hosts).filter((h) => h.current)).toEqual([]); // in-flight steps finished
    const started = steps.runs.length;
    expect(started).toBeLessThan(6);
    expect(steps.runs.every((r) => r.done?.ok)).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    expect(steps.runs).toHaveLength(started);
    expect(commands()).toEqual([]);

    await expect(act(id, 'pause')).rejects.toThrow(RolloutConflictError);
    await act(id, 'resume');
    expect(await runToEnd(id)).toBe('ended');
    expect(await store.get(id)).toMatchObject({ state: 'done' });
    for (const host of ZONE.hosts) expect(steps.layoutsOf(host.name)).toEqual(['both', 'both', 'new']);
  });

  it('a prepareHostForMaintenance answered in PrepareForMaintenance is waited out: Maintenance goes on, an error state after it fails the host, naming it', async () => {
    const { id } = await planned();
    cloudstack.afterPrepare.set('host-2', 'ErrorInPrepareForMaintenance'); // kvm2: a VM that could not migrate
    await act(id, 'start');
    expect(await runToEnd(id)).toBe('ended');
    const aborted = await store.get(id);
    expect(aborted.reason).toMatch(/contract failed on kvm2: prepareHostForMaintenance left the host ErrorInPrepareForMaintenance, so the rollout cancelled that maintenance; fix what CloudStack reports for its VMs, then resume/);
    // the canary kvm1 went into Maintenance after answering PrepareForMaintenance and ran its contract
    expect(steps.layoutsOf('kvm1')).toContain('new');
  });

  it('a read that fails while a host migrates into Maintenance is read again, not taken for a failed maintenance', async () => {
    const { id } = await planned();
    const prepare = cloudstack.prepareHostForMaintenance.bind(cloudstack);
    cloudstack.prepareHostForMaintenance = async (hostId: string) => {
      const answered = await prepare(hostId);
      cloudstack.failReads.set(hostId, 2);
      return answered;
    };
    await act(id, 'start');
    expect(await runToEnd(id)).toBe('ended');
    expect(await store.get(id)).toMatchObject({ state: 'done', failedHosts: [] });
    expect(commands().filter((c) => c === 'cancelHostMaintenance')).toHaveLength(commands().filter((c) => c === 'prepareHostForMaintenance').length);
  });

  it('a host CloudStack keeps in PrepareForMaintenance fails its step after the host wait, saying its VMs are still migrating', async () => {
    const { id } = await planned();
    cloudstack.afterPrepare.set('host-1', 'stuck');
    await act(id, 'start');
    const quick = new RolloutRunner(id, { redis, prefix, store, cloudstack, steps, holds, options: { ...OPTIONS, hostWaitTimeoutMs: 300 }, log: (m) => logs.push(m) });
    expect(await quick.run()).toBe('ended');
    expect((await store.get(id)).reason).toMatch(/kvm1: host still PrepareForMaintenance 300 ms after prepareHostForMaintenance \(its VMs still migrating\), so the rollout cancelled that maintenance; fix: see what holds the migrations in CloudStack, then resume/);
    expect(steps.layoutsOf('kvm1')).not.toContain('new');
  });

  it('abortAfter reached by a failed maintenance: contracted hosts back to both, label back, every host to old, aborted', async () => {
    const { id } = await planned();
    cloudstack.failMaintenance.add('host-2'); // kvm2: the first wave after the canary kvm1
    await act(id, 'start');
    expect(await runToEnd(id)).toBe('ended');

    const aborted = await store.get(id);
    expect(aborted.state).toBe('aborted');
    expect(aborted.reason).toMatch(/abortAfter \(1\) reached: kvm2 failed; last: contract failed on kvm2: prepareHostForMaintenance failed/);
    expect(aborted.flipped).toEqual([]);
    expect(cloudstack.labels.get('tt-public')).toBe('cloudbr1');
    const flips = cloudstack.calls.filter((c) => c.command === 'updateTrafficType').map((c) => c.arg);
    expect(flips).toEqual(['cloudbr5', 'cloudbr1']);
    // no host after the failed wave was started; every host ends on the old layout with nothing in maintenance
    expect(steps.layoutsOf('kvm3')).not.toContain('new');
    expect(steps.layoutsOf('kvm6')).not.toContain('new');
    for (const host of ZONE.hosts) expect(steps.layoutsOf(host.name).at(-1)).toBe('old');
    expect(steps.layoutsOf('kvm1')).toEqual(['both', 'both', 'new', 'both', 'both', 'old']);
    expect(Object.values(aborted.hosts).every((h) => h.layout === 'old' && !h.current)).toBe(true);
    expect([...cloudstack.hosts.values()].map((h) => h.resourceState)).toEqual(Array(6).fill('Enabled'));
    // the label flips back only after every contracted host has both bridges again: kvm1 and kvm4 left the
    // maintenance of their contract and of their restore-both before it (kvm2 left its failed one)
    const flipBackAt = cloudstack.calls.filter((c) => c.command === 'updateTrafficType')[1]!.at;
    const cancelsBefore = cloudstack.calls.filter((c) => c.command === 'cancelHostMaintenance' && c.at <= flipBackAt).map((c) => c.id);
    expect(cancelsBefore.sort()).toEqual(['host-1', 'host-1', 'host-2', 'host-4', 'host-4']);
    // VMs that moved while the label was flipped use the new bridge: every host is evacuated again before the
    // new bridge goes (after the flip back, so they re-plug on the old one)
    const evacuatedAfter = new Set(cloudstack.calls.filter((c) => c.command === 'prepareHostForMaintenance' && c.at > flipBackAt).map((c) => c.id));
    expect(evacuatedAfter).toEqual(new Set(ZONE.hosts.map((h) => h.id)));
    expect(aborted.hosts['host-2']!.steps.find((s) => s.purpose === 'contract')).toMatchObject({ result: 'failed', runStatus: 'not-run' });
    // kvm2's contract never ran, so its layout stayed the verified `both`: no restore-both for it, only restore-old's evacuation
    expect(steps.runs.filter((r) => r.hostName === 'kvm2').map((r) => r.purpose)).toEqual(['expand', 'switch', 'switch-back', 'restore-old']);
    expect(cloudstack.callsOf('host-2').filter((c) => c === 'prepareHostForMaintenance')).toHaveLength(2);
  });

  it("a rollback step whose run verified but whose cancel failed is taken up again: the abort ends, no host left in maintenance", async () => {
    const { id } = await planned();
    cloudstack.failMaintenance.add('host-2');
    cloudstack.failCancelAt.set('host-1', 2); // kvm1: its contract's cancel, then its restore-both's fails once
    await act(id, 'start');
    expect(await runner(id).run()).toBe('error');
    expect((await store.get(id)).lastError).toMatch(/restore to both bridges not finished on kvm1 \(still in maintenance\)/);
    expect(await runToEnd(id)).toBe('ended');

    const aborted = await store.get(id);
    expect(aborted).toMatchObject({ state: 'aborted', flipped: [] });
    expect(cloudstack.labels.get('tt-public')).toBe('cloudbr1');
    expect(Object.values(aborted.hosts).every((h) => h.layout === 'old' && !h.current)).toBe(true);
    expect([...cloudstack.hosts.values()].map((h) => h.resourceState)).toEqual(Array(6).fill('Enabled'));
    // the restore-both run was not run again: its step went on from the cancel
    expect(steps.runs.filter((r) => r.hostName === 'kvm1' && r.purpose === 'restore-both')).toHaveLength(1);
  });

  it('a restore to both that keeps failing is tried again after restoreRetryMs, not in a loop; the label stays', async () => {
    const { id } = await planned();
    cloudstack.failMaintenance.add('host-2');
    steps.decide = (run) => (run.hostName === 'kvm1' && run.purpose === 'restore-both' ? { ok: false, runStatus: 'failed', reason: 'ifup br0 exited 1' } : { ok: true, runStatus: 'applied' });
    await act(id, 'start');
    expect(await runner(id).run()).toBe('error');
    expect(await runner(id).run()).toBe('error');
    const stuck = await store.get(id);
    expect(stuck).toMatchObject({ state: 'aborting', phase: 'rollback-flip', flipped: ['tt-public'] });
    expect(stuck.lastError).toMatch(/label not flipped back: kvm1 still have only the new bridge \(restore to both failed: kvm1: ifup br0 exited 1; the host stays in maintenance until a layout verifies\); tried again 60 s after each try/);
    expect(steps.runs.filter((r) => r.hostName === 'kvm1' && r.purpose === 'restore-both')).toHaveLength(1);

    // the host is mended; once restoreRetryMs has passed since the failed try, the next runner restores it and the abort ends
    steps.decide = () => ({ ok: true, runStatus: 'applied' });
    await store.update(id, (r) => void (r.hosts['host-1']!.steps.find((s) => s.purpose === 'restore-both')!.endedAt = new Date(Date.now() - 61_000).toISOString()));
    expect(await runToEnd(id)).toBe('ended');
    expect(await store.get(id)).toMatchObject({ state: 'aborted', flipped: [] });
    expect(steps.runs.filter((r) => r.hostName === 'kvm1' && r.purpose === 'restore-both')).toHaveLength(2);
  });

  it('abort during expand never flips the label and takes every expanded host back to old', async () => {
    const { id } = await planned();
    steps.durationMs = 40;
    await act(id, 'start');
    const run = runner(id).run();
    await until('an expand run', () => steps.runs.length >= 1);
    await act(id, 'abort');
    expect(await run).toBe('ended');
    const aborted = await store.get(id);
    expect(aborted).toMatchObject({ state: 'aborted', reason: 'aborted by spec' });
    expect(commands().filter((c) => c === 'updateTrafficType')).toEqual([]);
    const expanded = ZONE.hosts.filter((h) => steps.layoutsOf(h.name).includes('both'));
    expect(expanded.length).toBeGreaterThan(0);
    for (const host of expanded) expect(steps.layoutsOf(host.name)).toEqual(['both', 'old']);
  });

  it('abort after the flip: every host the rollback enabled again has its last run reported settled Up and Enabled', async () => {
    const { id } = await planned();
    steps.durationMs = 30;
    await act(id, 'start');
    const run = runner(id).run();
    await until('the flip', () => commands().includes('updateTrafficType'));
    await act(id, 'abort');
    expect(await run).toBe('ended');
    expect(await store.get(id)).toMatchObject({ state: 'aborted', frozen: [] });
    for (const host of ZONE.hosts) {
      expect(cloudstack.hosts.get(host.id)).toMatchObject({ state: 'Up', resourceState: 'Enabled' });
      // the last run (a switch back or restore, seen Disabled under the freeze) is settled again once the rollback enabled the host
      const last = steps.runs.filter((r) => r.hostId === host.id).at(-1)!;
      expect({ host: host.name, settled: steps.settledRuns.filter((x) => x.hostId === host.id).at(-1) }).toEqual({ host: host.name, settled: { hostId: host.id, runId: last.runId, seen: { state: 'Up', resourceState: 'Enabled' } } });
    }
  });

  it('survives a restart: a new runner on the same Redis continues without redoing a host or a flip', async () => {
    const { id } = await planned({ canary: 1, maxUnavailable: 2, abortAfter: 1 });
    steps.durationMs = 30;
    await act(id, 'start');
    const first = runner(id);
    const running = first.run();
    await until('a contract run in flight', () => steps.runs.some((r) => r.purpose === 'contract'));
    expect(await runner(id).run()).toBe('busy'); // one runner at a time
    first.stop(); // api stops mid-rollout, a contract run in flight
    expect(await running).toBe('stopped');
    const midway = await store.get(id);
    expect(midway.state).toBe('running');
    expect(Object.values(midway.hosts).some((h) => h.current?.runId)).toBe(true);

    expect(await runToEnd(id)).toBe('ended');
    expect(await store.get(id)).toMatchObject({ state: 'done' });
    expect(commands().filter((c) => c === 'updateTrafficType')).toHaveLength(1);
    for (const host of ZONE.hosts) {
      expect(steps.runs.filter((r) => r.hostName === host.name && r.purpose === 'contract')).toHaveLength(1);
      expect(steps.layoutsOf(host.name)).toEqual(['both', 'both', 'new']);
    }
    for (const n of cloudstack.maxInMaintenancePerCluster(clusterOf).values()) expect(n).toBeLessThanOrEqual(2);
  });

  it('a host step that throws stops its siblings before the runner gives up its lock: nothing acts beside the next runner', async () => {
    const { id } = await planned({ canary: 1, maxUnavailable: 2, abortAfter: 1 });
    steps.durationMs = 40;
    const start = steps.start.bind(steps);
    let thrown = false;
    steps.start = async (rollout, host, step, claimed) => {
      // kvm2's expand run cannot be enqueued (Redis out of reach for a moment) while kvm1's is in flight
      if (host.hostName === 'kvm2' && !thrown) {
        thrown = true;
        throw new Error('Connection is closed.');
      }
      return start(rollout, host, step, claimed);
    };
    await act(id, 'start');
    expect(await runner(id).run()).toBe('error');
    const [runs, calls] = [steps.runs.length, cloudstack.calls.length];
    await new Promise((r) => setTimeout(r, 200));
    expect([steps.runs.length, cloudstack.calls.length]).toEqual([runs, calls]);

    // the next runner takes the steps up where they stood, each host's expand run once
    expect(await runToEnd(id)).toBe('ended');
    for (const host of ZONE.hosts) expect(steps.runs.filter((r) => r.hostName === host.name && r.purpose === 'expand')).toHaveLength(1);
  });

  it('a runner whose lock another took sends CloudStack nothing more and records nothing, before its renewal would notice', async () => {
    const { id } = await planned();
    await act(id, 'start');
    const running = runner(id).run();
    await until('an expand run', () => steps.runs.length >= 1);
    await redis.set(`${prefix}:relabel:lock:${id}`, 'another-runner', 'PX', OPTIONS.lockTtlMs);
    expect(await running).toBe('stopped');
    // the expand runs end within milliseconds, the freeze's Disables would follow long before the 1 s renewal
    expect(commands()).toEqual([]);
    expect(await store.get(id)).toMatchObject({ state: 'running', failedHosts: [] });
    expect(logs.some((l) => /lock on the rollout expired \(another runner holds it now\); nothing sent to CloudStack/.test(l))).toBe(true);
    await redis.del(`${prefix}:relabel:lock:${id}`);
    expect(await runToEnd(id)).toBe('ended');
  });

  it('with maintenance when-vms takes only hosts that run VMs at that moment into maintenance', async () => {
    const { id } = await planned({ canary: 0, maxUnavailable: 3, abortAfter: 1, maintenance: 'when-vms' });
    cloudstack.vms.set('host-2', 3);
    cloudstack.vms.set('host-5', 1);
    await act(id, 'start');
    expect(await runToEnd(id)).toBe('ended');
    expect(await store.get(id)).toMatchObject({ state: 'done' });
    expect(cloudstack.calls.filter((c) => c.command === 'listVirtualMachines')).toHaveLength(6);
    expect(cloudstack.calls.filter((c) => c.command === 'prepareHostForMaintenance').map((c) => c.id).sort()).toEqual(['host-2', 'host-5']);
    expect(cloudstack.calls.filter((c) => c.command === 'cancelHostMaintenance').map((c) => c.id).sort()).toEqual(['host-2', 'host-5']);
  });

  it('keeps a host in maintenance when its contract run did not verify, pauses, and cancels only after a verified retry', async () => {
    const { id } = await planned({ canary: 1, maxUnavailable: 1, abortAfter: 3 });
    let failKvm2 = true;
    steps.decide = (run) => (failKvm2 && run.hostName === 'kvm2' && run.purpose === 'contract' ? { ok: false, runStatus: 'rolled-back', reason: 'verification failed' } : { ok: true, runStatus: 'applied' });
    await act(id, 'start');
    expect(await runner(id).run()).toBe('waiting');

    const paused = await store.get(id);
    expect(paused.state).toBe('paused');
    expect(paused.reason).toMatch(/contract failed on kvm2: verification failed; the host stays in maintenance/);
    expect(cloudstack.hosts.get('host-2')!.resourceState).toBe('Maintenance');
    expect(cloudstack.callsOf('host-2')).not.toContain('cancelHostMaintenance');
    expect(paused.hosts['host-2']).toMatchObject({ leftInMaintenance: true, unverified: 'new' });

    failKvm2 = false;
    await act(id, 'resume');
    expect(await runToEnd(id)).toBe('ended');
    expect(await store.get(id)).toMatchObject({ state: 'done' });
    // the retry took over the rollout's own maintenance: no second prepare, one cancel after it verified
    expect(cloudstack.callsOf('host-2').filter((c) => c.startsWith('prepare') || c.startsWith('cancel'))).toEqual(['prepareHostForMaintenance', 'cancelHostMaintenance']);
    expect(cloudstack.hosts.get('host-2')!.resourceState).toBe('Enabled');
  });

  it('rollback lifts the freeze only on hosts whose latest step verified', async () => {
    const { id } = await planned();
    steps.decide = (run) => (run.hostName === 'kvm3' && run.purpose !== 'expand' ? { ok: false, runStatus: 'failed', reason: 'ssh refused' } : { ok: true, runStatus: 'applied' });
    await act(id, 'start');
    expect(await runToEnd(id)).toBe('ended');

    const aborted = await store.get(id);
    expect(aborted.state).toBe('aborted');
    expect(aborted.reason).toMatch(/rollback incomplete on kvm3/);
    // its restore-old evacuated it and did not verify: it stays in that maintenance, never back in service
    expect(cloudstack.hosts.get('host-3')!.resourceState).toBe('Maintenance');
    expect(cloudstack.callsOf('host-3')).not.toContain('updateHost:Enable');
    expect(aborted.frozen).toEqual(['host-3']);
    for (const hostId of ['host-1', 'host-2', 'host-4', 'host-5', 'host-6']) expect(cloudstack.hosts.get(hostId)!.resourceState).toBe('Enabled');
  });

  it('a host whose expand was refused before anything changed is not rolled back nor reported rollback-incomplete', async () => {
    const { id } = await planned();
    steps.decide = (run) =>
      run.hostName === 'kvm3' && run.purpose === 'expand'
        ? { ok: false, runStatus: 'failed', reason: 'MtuLoweringError: would lower eth2 from 9000 to 1500, nothing was changed', unchanged: true }
        : { ok: true, runStatus: 'applied' };
    await act(id, 'start');
    expect(await runToEnd(id)).toBe('ended');

    const aborted = await store.get(id);
    expect(aborted.state).toBe('aborted');
    expect(aborted.reason).toMatch(/^abortAfter \(1\) reached: kvm3 failed; last: expand failed on kvm3: MtuLoweringError/);
    expect(aborted.reason).not.toMatch(/rollback incomplete/);
    expect(aborted.rollbackFailures).toEqual([]);
    // never changed: no restore step on it, its verified layout stands; every other host taken back once
    expect(steps.runs.filter((r) => r.hostName === 'kvm3').map((r) => r.purpose)).toEqual(['expand']);
    expect(aborted.hosts['host-3']).toMatchObject({ layout: 'old' });
    expect(aborted.hosts['host-3']).not.toHaveProperty('unverified');
    for (const host of Object.values(aborted.hosts)) expect(host.layout).toBe('old');
  });

  it('a host no step of which ever connected is named unreachable and never changed, not rollback-incomplete', async () => {
    const { id } = await planned();
    const unreachable = 'SshUnreachableError: 127.0.0.1:2205 refused the connection (ECONNREFUSED); fix: check that sshd answers there';
    steps.decide = (run) => (run.hostName === 'kvm3' ? { ok: false, runStatus: 'failed', reason: unreachable } : { ok: true, runStatus: 'applied' });
    await act(id, 'start');
    expect(await runToEnd(id)).toBe('ended');

    const aborted = await store.get(id);
    expect(aborted.state).toBe('aborted');
    expect(aborted.reason).toMatch(/; kvm3 unreachable, never changed \(no step of it reached the host; its layout is old, as before\)$/);
    expect(aborted.reason).not.toMatch(/rollback incomplete/);
    expect(aborted.hosts['host-3']).toMatchObject({ layout: 'old' });
  });

  it('a host reached once and unreachable after is still rollback-incomplete', async () => {
    const { id } = await planned();
    steps.decide = (run) => (run.hostName === 'kvm3' && run.purpose !== 'expand' ? { ok: false, runStatus: 'failed', reason: 'SshUnreachableError: 127.0.0.1:2205 refused the connection' } : { ok: true, runStatus: 'applied' });
    await act(id, 'start');
    expect(await runToEnd(id)).toBe('ended');
    const aborted = await store.get(id);
    expect(aborted.reason).toMatch(/rollback incomplete on kvm3 \(see their steps\)/);
    expect(aborted.reason).not.toMatch(/never changed/);
  });

  it('gives hosts that were Disabled or in maintenance before the rollout exactly that state back', async () => {
    const { id } = await planned();
    // changed by an operator after planning, before the rollout touched them
    cloudstack.hosts.get('host-5')!.resourceState = 'Disabled';
    cloudstack.hosts.get('host-6')!.resourceState = 'Maintenance';
    await act(id, 'start');
    expect(await runToEnd(id)).toBe('ended');

    const done = await store.get(id);
    expect(done.state).toBe('done');
    expect(cloudstack.hosts.get('host-5')!.resourceState).toBe('Disabled');
    expect(cloudstack.callsOf('host-5')).toEqual(['prepareHostForMaintenance', 'cancelHostMaintenance', 'updateHost:Disable']);
    expect(cloudstack.hosts.get('host-6')!.resourceState).toBe('Maintenance');
    expect(cloudstack.callsOf('host-6')).toEqual([]);
    expect(done.hosts['host-5']!.before).toBe('Disabled');
    expect(steps.settledRuns.filter((s) => s.hostId === 'host-5').at(-1)?.seen).toEqual({ state: 'Up', resourceState: 'Disabled' });
    expect(done.hosts['host-6']!.before).toBe('Maintenance');
    expect(done.hosts['host-1']!.before).toBe('Enabled');
  });

  it('a switch that verified whose Enable was lost gets only the Enable checked again, never a second switch or Enable', async () => {
    const { id } = await planned({ canary: 1, maxUnavailable: 1, abortAfter: 2 });
    cloudstack.allocationFaults.set('host-1:Enable', 'lost'); // CloudStack enabled it, the answer never came
    await act(id, 'start');
    expect(await runner(id).run()).toBe('waiting');
    expect(await store.get(id)).toMatchObject({ state: 'paused', phase: 'switch' });

    await act(id, 'resume');
    expect(await runToEnd(id)).toBe('ended');
    expect(await store.get(id)).toMatchObject({ state: 'done', frozen: [] });
    expect(steps.runs.filter((r) => r.hostName === 'kvm1' && r.purpose === 'switch')).toHaveLength(1);
    expect(cloudstack.callsOf('host-1').filter((c) => c === 'updateHost:Enable')).toHaveLength(1);
  });

  it("rollback's freeze stops on a failed Disable: the label flips back only once every switched host is Disabled", async () => {
    const { id } = await planned();
    steps.decide = (run) => {
      if (run.hostName !== 'kvm1' || run.purpose !== 'contract') return { ok: true, runStatus: 'applied' };
      cloudstack.allocationFaults.set('host-2:Disable', 'refused'); // the rollback's freeze of kvm2 fails once
      return { ok: false, runStatus: 'rolled-back', reason: 'verification failed' };
    };
    await act(id, 'start');
    expect(await runner(id).run()).toBe('error');
    const stopped = await store.get(id);
    expect(stopped).toMatchObject({ state: 'aborting', phase: 'rollback-flip', flipped: ['tt-public'] });
    expect(stopped.lastError).toMatch(/updateHost Disable of kvm2 refused/);
    expect(cloudstack.labels.get('tt-public')).toBe('cloudbr5');

    expect(await runToEnd(id)).toBe('ended');
    expect(await store.get(id)).toMatchObject({ state: 'aborted', flipped: [] });
    const flipBack = cloudstack.calls.findIndex((c) => c.command === 'updateTrafficType' && c.arg === 'cloudbr1');
    const lastDisable = cloudstack.calls.map((c) => `${c.command} ${c.id} ${c.arg}`).lastIndexOf('updateHost host-2 Disable');
    expect(lastDisable).toBeGreaterThan(-1);
    expect(lastDisable).toBeLessThan(flipBack);
  });

  /** A runner stopped mid-contract on kvm1 (the rollout's maintenance, its step as `current` gives it), then the abort. */
  async function abortedMidContract(current: Partial<HostStepRecord>): Promise<string> {
    const { id } = await planned();
    await act(id, 'start');
    cloudstack.labels.set('tt-public', 'cloudbr5');
    cloudstack.hosts.get('host-1')!.resourceState = 'Maintenance';
    await store.update(id, (r) => {
      Object.assign(r, { state: 'aborting', phase: 'rollback-contract', flipped: ['tt-public'] });
      for (const h of Object.values(r.hosts)) h.layout = 'both';
      r.hosts['host-1']!.current = { purpose: 'contract', layout: 'new', restartAgent: true, startedAt: new Date().toISOString(), maintenance: true, ...current };
    });
    return id;
  }

  it('a step superseding one that put the host into maintenance inherits it and cancels it', async () => {
    // a run whose result never came
    const id = await abortedMidContract({ stage: 'configure', runId: 'run-gone' });
    expect(await runToEnd(id)).toBe('ended');

    const aborted = await store.get(id);
    expect(aborted.state).toBe('aborted');
    expect(aborted.hosts['host-1']!.steps[0]).toMatchObject({ purpose: 'contract', result: 'failed', reason: 'superseded by restore-both', supersededBy: 'restore-both' });
    expect(aborted.hosts['host-1']!.steps[1]).toMatchObject({ purpose: 'restore-both', maintenance: true, result: 'verified' });
    expect(cloudstack.callsOf('host-1')).toEqual(['cancelHostMaintenance']);
    expect(cloudstack.hosts.get('host-1')!.resourceState).toBe('Enabled');
  });

  it("a superseded step whose run verified keeps `verified` (only its cancel was left): the record says what the run proved", async () => {
    const id = await abortedMidContract({ stage: 'cancel', runId: 'run-7', result: 'verified', runStatus: 'applied' });
    expect(await runToEnd(id)).toBe('ended');
    const contract = (await store.get(id)).hosts['host-1']!.steps[0]!;
    expect(contract).toMatchObject({ purpose: 'contract', runId: 'run-7', result: 'verified', runStatus: 'applied', supersededBy: 'restore-both' });
    expect(contract.reason).toBeUndefined();
  });

  it('the write that ends a rollout releases its holds and its zone in the same step', async () => {
    const { id, zoneId } = await planned();
    await zoneLock.acquire(zoneId, id, (r) => store.ended(r));
    await act(id, 'start');
    expect(await holds.heldBy('host-4')).toBe(id);
    await store.update(id, (r) => void Object.assign(r, { state: 'done', phase: 'finished' }));
    expect(await holds.heldBy('host-4')).toBeUndefined();
    expect(await redis.get(relabelZoneKey(prefix, zoneId))).toBeNull();
  });

  it('refuses transitions the state does not allow, and an abort before start ends the rollout at once', async () => {
    const { id } = await planned();
    await expect(act(id, 'resume')).rejects.toThrow(/cannot resume rollout (.*): it is planned \(resume needs paused\); fix: start it \(hostnet relabel start --id \1\), or abort it$/);
    await act(id, 'abort');
    expect(await store.get(id)).toMatchObject({ state: 'aborted', phase: 'finished' });
    await expect(act(id, 'start')).rejects.toThrow(RolloutConflictError);
    // the fix names the command that gets a rollout to start: a new plan of the same request
    const { request } = await store.get(id);
    const changes = request.changes.map((c) => `${c.physicalNetwork}/${c.trafficType}=${c.newLabel}`).join(',');
    await expect(act(id, 'start')).rejects.toThrow(`cannot start rollout ${id}: it is aborted (start needs planned); fix: an ended rollout does not start again; plan it again (hostnet relabel plan --zone ${request.zone} --changes ${JSON.stringify(changes)}, or POST /relabels) and start the new rollout`);
    expect(await runToEnd(id)).toBe('ended');
    expect(steps.runs).toEqual([]);
  });
});
