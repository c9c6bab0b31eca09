import { RecordingCloudStack } from './relabel-cloudstack.recorder';
import { HALTED, type RolloutContext } from './rollout-context';
import { HostStepDriver } from './rollout-host-step.driver';
import { RolloutSpecHarness } from './test-support/rollout-spec-harness';

describe('a pause or abort that comes in after the state was read starts no new host step and no freeze', () => {
  const h = new RolloutSpecHarness();
  afterAll(() => h.close());
  beforeEach(() => h.reset());

  async function driverOf(id: string): Promise<HostStepDriver> {
    const ctx: RolloutContext = {
      id,
      plan: await h.store.plan(id),
      store: h.store,
      cloudstack: new RecordingCloudStack(h.cloudstack, h.store, id),
      steps: h.steps,
      options: h.options,
      halted: () => false,
      stop: () => undefined,
      log: (m) => h.logs.push(m),
    };
    return new HostStepDriver(ctx);
  }

  it('a forward step is not begun once the rollout is paused, a rollback step not while it runs forward', async () => {
    const { id } = await h.planned();
    await h.act(id, 'start');
    const driver = await driverOf(id);
    await h.act(id, 'pause'); // after the caller read `running`

    expect(await driver.plain('host-1', { purpose: 'expand', layout: 'both', restartAgent: false })).toBe(HALTED);
    await h.act(id, 'resume');
    expect(await driver.maintained('host-2', { purpose: 'restore-both', layout: 'both', restartAgent: true }, undefined)).toBe(HALTED);

    expect(h.steps.runs).toEqual([]);
    expect(h.cloudstack.calls).toEqual([]);
    const rollout = await h.store.get(id);
    expect([rollout.hosts['host-1']!.current, rollout.hosts['host-2']!.current]).toEqual([undefined, undefined]);
  });

  it('a step already begun is still driven to its end while paused (what a restart leaves in flight)', async () => {
    const { id } = await h.planned();
    await h.act(id, 'start');
    const driver = await driverOf(id);
    const request = { purpose: 'expand', layout: 'both', restartAgent: false } as const;
    h.steps.durationMs = 50;
    const first = driver.plain('host-1', request);
    while (h.steps.runs.length === 0) await new Promise((r) => setTimeout(r, 5));
    await h.act(id, 'pause');
    expect(await first).toMatchObject({ ok: true });
    expect(await driver.plain('host-1', request)).toBe(HALTED); // a second step of it is a new one
    expect(h.steps.runs).toHaveLength(1);
  });

  it('a pause during the freeze sends no further Disable; resume freezes the rest and ends done', async () => {
    const { id } = await h.planned();
    const update = h.cloudstack.updateHostAllocation.bind(h.cloudstack);
    let paused = false;
    h.cloudstack.updateHostAllocation = async (hostId, action) => {
      const host = await update(hostId, action);
      if (action === 'Disable' && !paused) {
        paused = true;
        await h.act(id, 'pause');
      }
      return host;
    };
    await h.act(id, 'start');
    expect(await h.runner(id).run()).toBe('waiting');
    expect(h.sent('updateHost')).toEqual(['updateHost:Disable']);
    expect(await h.store.get(id)).toMatchObject({ state: 'paused', phase: 'freeze', frozen: ['host-1'] });

    await h.act(id, 'resume');
    expect(await h.runner(id).run()).toBe('ended');
    expect(await h.store.get(id)).toMatchObject({ state: 'done', frozen: [] });
    for (const hostId of ['host-1', 'host-2', 'host-3', 'host-4', 'host-5', 'host-6']) {
      expect(h.cloudstack.callsOf(hostId).filter((c) => c.startsWith('updateHost'))).toEqual(['updateHost:Disable', 'updateHost:Enable']);
    }
  });
});
