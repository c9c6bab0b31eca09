import { RolloutSpecHarness, SPEC_ZONE } from './test-support/rollout-spec-harness';

describe('RolloutRunner: a host added to a cluster of the rollout after the plan stops it before the next phase', () => {
  const h = new RolloutSpecHarness();
  afterAll(() => h.close());
  beforeEach(() => h.reset());

  /** CloudStack lists kvm7 in cluster1 once the first expand run ends (an operator's add-host during the expand). */
  function kvm7JoinsDuringExpand(): void {
    const decide = h.steps.decide;
    h.steps.decide = (run) => {
      const template = SPEC_ZONE.hosts[0]!;
      if (run.purpose === 'expand') h.cloudstack.hosts.set('host-7', { ...template, id: 'host-7', name: 'kvm7', ipAddress: '10.1.0.99' });
      return decide(run);
    };
  }

  it('pauses before the freeze and the flip, naming the host; nothing is flipped until it is gone', async () => {
    const { id } = await h.planned();
    kvm7JoinsDuringExpand();
    await h.act(id, 'start');
    expect(await h.runner(id).run()).toBe('waiting');
    const paused = await h.store.get(id);
    expect(paused).toMatchObject({ state: 'paused', phase: 'freeze', flipped: [] });
    expect(paused.reason).toMatch(/^kvm7 \(host-7, cluster cluster-000001\) joined the rollout's clusters after the plan .*found before freeze.*abort takes the rollout back/);
    expect(h.sent('updateTrafficType')).toEqual([]);
    expect(h.sent('updateHost')).toEqual([]);

    // resumed while it is still listed: paused again, still nothing flipped
    await h.act(id, 'resume');
    expect(await h.runner(id).run()).toBe('waiting');
    expect(h.sent('updateTrafficType')).toEqual([]);

    h.cloudstack.hosts.delete('host-7');
    h.steps.decide = () => ({ ok: true, runStatus: 'applied' });
    await h.act(id, 'resume');
    expect(await h.runner(id).run()).toBe('ended');
    expect(await h.store.get(id)).toMatchObject({ state: 'done' });
  });

  it('a host CloudStack lists as Removed, or one in a cluster outside the rollout, does not stop it', async () => {
    const { id } = await h.planned();
    const template = SPEC_ZONE.hosts[0]!;
    h.cloudstack.hosts.set('host-8', { ...template, id: 'host-8', name: 'kvm8', state: 'Removed' });
    h.cloudstack.hosts.set('host-9', { ...template, id: 'host-9', name: 'kvm9', clusterId: 'cluster-elsewhere' });
    await h.act(id, 'start');
    expect(await h.runner(id).run()).toBe('ended');
    expect(await h.store.get(id)).toMatchObject({ state: 'done' });
  });
});
