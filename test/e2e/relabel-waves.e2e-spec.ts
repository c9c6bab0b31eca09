import { outsideEtc, snapshotChanges, snapshotFiles, type FileMark } from '../support/host-files';
import { MAINTENANCE_STATES, RelabelRollouts, type RelabelRequest } from '../support/relabel-rollouts';
import { ensureBuiltApps } from '../support/worker-process';

const CLUSTERS = [
  ['kvm1', 'kvm2', 'kvm3', 'kvm4'],
  ['kvm5', 'kvm6', 'kvm7', 'kvm8'],
  ['kvm9', 'kvm10', 'kvm11', 'kvm12'],
];
const HOSTS = CLUSTERS.flat();

/**
 * The acceptance of issue 9 on the simulator: 3 clusters × 4 hosts, 2 VMs each, every host first
 * configured and enabled by the normal pipeline; Public (cloudbr1, physnet2) is relabelled through the
 * API. What happened is read from the simulator: its CloudStack call log, its VM placements and each
 * host's files and live states (never from the rollout's own account alone). The rollouts run one after
 * the other on the same zone, each from the label the previous one left.
 */
describe('relabel waves on 3 clusters × 4 hosts', () => {
  let r: RelabelRollouts;
  const relabel = (newLabel: string, strategy: RelabelRequest['strategy']): RelabelRequest => ({
    zone: 'zone1',
    changes: [{ physicalNetwork: 'physnet2', trafficType: 'Public', newLabel }],
    strategy,
    requestedBy: 'e2e',
  });
  const bridges = (name: string) => r.h.host(name).kvm.readLiveState().links.map((l) => l.name).sort();
  const runningVms = () => r.h.zone.cloudstack.state.hosts.reduce((n, x) => n + (x.runningVms ?? 0), 0);

  /** Every host Up and Enabled in CloudStack, none left in a maintenance state. */
  function expectEveryHostUpAndEnabled(): void {
    for (const host of r.h.zone.cloudstack.state.hosts) {
      expect(MAINTENANCE_STATES.has(host.resourceState)).toBe(false);
      expect({ name: host.name, state: host.state, resourceState: host.resourceState }).toEqual({ name: host.name, state: 'Up', resourceState: 'Enabled' });
    }
  }

  /** Every host has the new bridge and not the old one, every VM still runs, none ever lost its bridge. */
  function expectEveryHostMoved(from: string, to: string, since: Date): void {
    for (const name of HOSTS) expect({ name, to: bridges(name).includes(to), from: bridges(name).includes(from) }).toEqual({ name, to: true, from: false });
    expect(runningVms()).toBe(24);
    expect(r.h.zone.vmBridgeGaps(since)).toEqual([]);
  }

  beforeAll(async () => {
    ensureBuiltApps(); // the api-kill case runs api as its own process, from dist
    // Runs at once and the on-host rollback timer sized for a loaded CI machine: a run cut short by the
    // timer is rolled back, and the setup would wait for a host that never gets enabled.
    r = await RelabelRollouts.start({ hosts: 12, clusters: 3, vmsPerHost: 2, rollbackSeconds: 120, env: { WORKER_CONCURRENCY: '6' } }, 180_000);
  }, 240_000);
  afterAll(async () => r?.stop());

  it('contracts the canary, then waves of at most maxUnavailable hosts per cluster, with one label flip', async () => {
    const since = new Date();
    const planned = await r.plan(relabel('cloudbr5', { canary: 1, maxUnavailable: 2, abortAfter: 1, maintenance: 'required' }));
    expect(planned.status).toBe(201);
    const waves = planned.body.plan.waves.map((w) => [w.kind, w.steps.map((s) => s.hostName)]);
    expect(waves).toEqual([
      ['canary', ['kvm1']],
      ['wave', ['kvm2', 'kvm3', 'kvm5', 'kvm6', 'kvm9', 'kvm10']],
      ['wave', ['kvm4', 'kvm7', 'kvm8', 'kvm11', 'kvm12']],
    ]);
    expect((await r.h.request('POST', `/relabels/${planned.body.id}/start`, {})).status).toBe(202);
    const done = await r.finished(planned.body.id);
    expect(done.reason).toBeUndefined();
    expect(done.state).toBe('done');

    const calls = r.mutations(since);
    expect(calls.filter((c) => c.command === 'updateTrafficType').map((c) => c.params['kvmnetworklabel'])).toEqual(['cloudbr5']);
    expect(r.label('Public')).toBe('cloudbr5');
    // every host in maintenance exactly once, and out of it again
    expect(r.hostsOf(calls, 'prepareHostForMaintenance').sort()).toEqual([...HOSTS].sort());
    expect(r.hostsOf(calls, 'cancelHostMaintenance').sort()).toEqual([...HOSTS].sort());
    expect(r.maxOutPerCluster(calls)).toBeLessThanOrEqual(2);
    // waves in order, from the log: nothing of a wave is taken out before the whole previous wave is back
    const at = (command: string, host: string) => calls.findIndex((c) => c.command === command && r.nameOf(c.params['id'] ?? '') === host);
    const flip = calls.findIndex((c) => c.command === 'updateTrafficType');
    for (const [i, [, hosts]] of waves.entries()) {
      for (const host of hosts as string[]) {
        expect(at('prepareHostForMaintenance', host)).toBeGreaterThan(flip);
        const previous = i === 0 ? [] : (waves[i - 1]![1] as string[]);
        for (const before of previous) expect(at('prepareHostForMaintenance', host)).toBeGreaterThan(at('cancelHostMaintenance', before));
      }
    }

    expectEveryHostUpAndEnabled();
    for (const name of HOSTS) expect({ name, layouts: await r.verifiedLayouts(r.h.host(name).id, done.id) }).toEqual({ name, layouts: ['both', 'new'] });
    expectEveryHostMoved('cloudbr1', 'cloudbr5', since);
  }, 240_000);

  it('a rollout whose api is SIGKILLed mid-contract is resumed by a new api, no host done twice', async () => {
    let api = await r.h.startApiProcess();
    const since = new Date();
    const planned = await r.plan(relabel('cloudbr7', { canary: 1, maxUnavailable: 1, abortAfter: 1 }));
    expect(planned.status).toBe(201);
    const id = planned.body.id;
    expect((await r.h.request('POST', `/relabels/${id}/start`, {})).status).toBe(202);

    // The canary is back and the first wave is in maintenance: kill api with host steps in flight.
    const prepares = () => r.mutations(since).filter((c) => c.command === 'prepareHostForMaintenance').length;
    await r.h.until('the first wave in maintenance', async () => (prepares() >= 3 ? true : undefined), 120_000);
    expect((await api.kill('SIGKILL')).signal).toBe('SIGKILL');
    const preparedBeforeKill = prepares();
    expect(preparedBeforeKill).toBeLessThan(HOSTS.length);

    api = await r.h.startApiProcess();
    const done = await r.finished(id);
    expect(done.reason).toBeUndefined();
    expect(done.state).toBe('done');
    expect(api.output.some((l) => /rollout .* runner stopped by an error/.test(l))).toBe(false);

    const calls = r.mutations(since);
    expect(calls.filter((c) => c.command === 'updateTrafficType').map((c) => c.params['kvmnetworklabel'])).toEqual(['cloudbr7']);
    expect(r.hostsOf(calls, 'prepareHostForMaintenance').sort()).toEqual([...HOSTS].sort());
    expect(r.hostsOf(calls, 'cancelHostMaintenance').sort()).toEqual([...HOSTS].sort());
    expect(r.maxOutPerCluster(calls)).toBe(1);
    expectEveryHostUpAndEnabled();
    for (const name of HOSTS) {
      // one expand run and one contract run per host, each verified: none enqueued again by the new api; the
      // contract's status moved on to enabled once the rollout saw the host back Up and Enabled
      expect({ name, runs: await r.runOutcomes(r.h.host(name).id, id) }).toEqual({ name, runs: [expect.stringMatching(/^both (verified|enabled)$/), 'new enabled'] });
      const steps = done.hosts[r.h.host(name).id]!.steps.map((s) => `${s.purpose} ${s.result}`);
      expect({ name, steps }).toEqual({ name, steps: ['expand verified', 'contract verified'] });
    }
    expectEveryHostMoved('cloudbr5', 'cloudbr7', since);
  }, 240_000);

  it('a failed contract run on the 3rd host with abortAfter 1 aborts: label back, every host on its old files and bridges', async () => {
    const files = new Map<string, Map<string, FileMark>>(HOSTS.map((name) => [name, snapshotFiles(r.h.host(name).kvm.rootDir, outsideEtc)]));
    const live = new Map(HOSTS.map((name) => [name, bridges(name)]));
    const since = new Date();
    // canary kvm1 and kvm5, then kvm2 (with kvm6 and kvm9): kvm2's contract fails on removing the patch ports
    const planned = await r.plan(relabel('cloudbr6', { canary: 2, maxUnavailable: 1, abortAfter: 1 }));
    expect(planned.status).toBe(201);
    expect(planned.body.plan.waves.slice(0, 3).map((w) => [w.kind, w.steps.map((s) => s.hostName)])).toEqual([
      ['canary', ['kvm1']],
      ['canary', ['kvm5']],
      ['wave', ['kvm2', 'kvm6', 'kvm9']],
    ]);
    r.h.host('kvm2').kvm.faults.failCommand = /del-port pt-/;
    expect((await r.h.request('POST', `/relabels/${planned.body.id}/start`, {})).status).toBe(202);
    const aborted = await r.finished(planned.body.id);

    expect(aborted.state).toBe('aborted');
    expect(aborted.reason).toMatch(/abortAfter \(1\) reached: kvm2 failed/);
    expect(r.h.host('kvm2').kvm.faults.failCommand).toBeUndefined(); // the fault did hit kvm2's contract
    const calls = r.mutations(since);
    expect(calls.filter((c) => c.command === 'updateTrafficType').map((c) => c.params['kvmnetworklabel'])).toEqual(['cloudbr6', 'cloudbr7']);
    expect(r.label('Public')).toBe('cloudbr7');
    expect(r.maxOutPerCluster(calls)).toBeLessThanOrEqual(1);
    // no host started after the failure: the later waves never got a contract step, and were taken out only
    // after the label was back, so the rollback could move VMs off the new bridge before deleting it
    const flipBackAt = calls.filter((c) => c.command === 'updateTrafficType')[1]!.at;
    const later = ['kvm3', 'kvm4', 'kvm7', 'kvm8', 'kvm10', 'kvm11', 'kvm12'];
    for (const name of later) expect(aborted.hosts[r.h.host(name).id]!.steps.map((s) => s.purpose)).not.toContain('contract');
    expect(calls.filter((c) => c.command === 'prepareHostForMaintenance' && later.some((n) => r.h.host(n).id === c.params['id']) && c.at < flipBackAt)).toEqual([]);
    expectEveryHostUpAndEnabled();
    const notBack: string[] = [];
    for (const name of HOSTS) {
      const layout = (await r.verifiedLayouts(r.h.host(name).id, aborted.id)).at(-1);
      if (layout !== 'old') notBack.push(`${name}: last verified layout ${layout}`);
      const changed = snapshotChanges(files.get(name)!, snapshotFiles(r.h.host(name).kvm.rootDir, outsideEtc), true);
      notBack.push(...changed.map((c) => `${name}: ${c}`));
      if (bridges(name).join(' ') !== live.get(name)!.join(' ')) notBack.push(`${name}: links ${bridges(name).join(' ')}, before ${live.get(name)!.join(' ')}`);
    }
    expect(notBack).toEqual([]);
    expect(runningVms()).toBe(24);
    expect(r.h.zone.vmBridgeGaps(since)).toEqual([]);
  }, 240_000);
});
