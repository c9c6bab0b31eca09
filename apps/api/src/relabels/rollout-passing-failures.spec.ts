import { RolloutSpecHarness } from './test-support/rollout-spec-harness';

/** abortAfter 1: before, any of these aborted the whole rollout at the first hiccup. */
const ABORT_AT_ONE = { canary: 1, maxUnavailable: 1, abortAfter: 1 };

describe('RolloutRunner: a passing CloudStack error around a verified run is not a host failure', () => {
  const h = new RolloutSpecHarness();
  afterAll(() => h.close());
  beforeEach(() => h.reset());

  it('an Enable CloudStack carried out whose answer was lost is read back: the rollout goes on, one Enable sent', async () => {
    const { id } = await h.planned(ABORT_AT_ONE);
    h.cloudstack.allocationFaults.set('host-1:Enable', 'unanswered');
    await h.act(id, 'start');
    expect(await h.runner(id).run()).toBe('ended');
    expect(await h.store.get(id)).toMatchObject({ state: 'done', failedHosts: [], frozen: [] });
    expect(h.cloudstack.callsOf('host-1').filter((c) => c === 'updateHost:Enable')).toHaveLength(1);
  });

  it('a cancelHostMaintenance CloudStack carried out whose answer was lost is read back: the contract goes on', async () => {
    const { id } = await h.planned(ABORT_AT_ONE);
    h.cloudstack.unansweredCancel.add('host-1');
    await h.act(id, 'start');
    expect(await h.runner(id).run()).toBe('ended');
    expect(await h.store.get(id)).toMatchObject({ state: 'done', failedHosts: [] });
    expect(h.cloudstack.callsOf('host-1').filter((c) => c === 'cancelHostMaintenance')).toHaveLength(1);
  });

  it.each([
    ['an Enable CloudStack refused after the switch verified', (h: RolloutSpecHarness) => h.cloudstack.allocationFaults.set('host-1:Enable', 'refused'), /^switch \(enable\) did not finish on kvm1: updateHost Enable failed/],
    ['a cancelHostMaintenance that failed after the contract verified', (h: RolloutSpecHarness) => h.cloudstack.failCancelAt.set('host-1', 1), /^canary contract did not finish on kvm1: cancelHostMaintenance failed/],
  ])('%s pauses the rollout without counting the host; resume finishes it', async (_case, fault, reason) => {
    const { id } = await h.planned(ABORT_AT_ONE);
    fault(h);
    await h.act(id, 'start');
    expect(await h.runner(id).run()).toBe('waiting');
    const paused = await h.store.get(id);
    expect(paused).toMatchObject({ state: 'paused', failedHosts: [] });
    expect(paused.reason).toMatch(reason);
    expect(paused.reason).toMatch(/not the host's failure \(not counted for abortAfter\); resume retries it/);

    await h.act(id, 'resume');
    expect(await h.runner(id).run()).toBe('ended');
    expect(await h.store.get(id)).toMatchObject({ state: 'done', failedHosts: [] });
  });

  it("maintenance 'when-vms': a failed listVirtualMachines pauses the rollout without counting the host", async () => {
    const { id } = await h.planned({ ...ABORT_AT_ONE, maintenance: 'when-vms' });
    h.cloudstack.failVmCount.add('host-1');
    await h.act(id, 'start');
    expect(await h.runner(id).run()).toBe('waiting');
    const paused = await h.store.get(id);
    expect(paused).toMatchObject({ state: 'paused', failedHosts: [] });
    expect(paused.reason).toMatch(/^canary contract did not finish on kvm1: listVirtualMachines failed: CloudStack 530/);
    await h.act(id, 'resume');
    expect(await h.runner(id).run()).toBe('ended');
    expect(await h.store.get(id)).toMatchObject({ state: 'done', failedHosts: [] });
  });
  it('a run that never reached a worker (lost, unchanged) pauses the rollout without counting the host', async () => {
    const { id } = await h.planned(ABORT_AT_ONE);
    let first = true;
    h.steps.decide = (run) => {
      if (run.hostName !== 'kvm2' || !first) return { ok: true, runStatus: 'applied' };
      first = false;
      return { ok: false, runStatus: 'lost', reason: `run ${run.runId} never reached a worker`, unchanged: true };
    };
    await h.act(id, 'start');
    expect(await h.runner(id).run()).toBe('waiting');
    const paused = await h.store.get(id);
    expect(paused).toMatchObject({ state: 'paused', phase: 'expand', failedHosts: [] });
    expect(paused.reason).toMatch(/^expand did not finish on kvm2: run .* never reached a worker/);
    expect(paused.hosts['host-2']!.unverified).toBeUndefined();
    await h.act(id, 'resume');
    expect(await h.runner(id).run()).toBe('ended');
    expect(await h.store.get(id)).toMatchObject({ state: 'done', failedHosts: [] });
  });
});
