import { RelabelRollouts, type RolloutView } from '../support/relabel-rollouts';

/**
 * CloudStack fails the label flip's async job (530): the rollout pauses before any agent switches or
 * host contracts; resume sends the flip again and the rollout ends with CloudStack on the new label.
 * Before, resume skipped the flip (recorded before the call) and ended `done` on the old label.
 */
describe('relabel: a failed label flip is sent again on resume', () => {
  let r: RelabelRollouts;

  beforeAll(async () => {
    r = await RelabelRollouts.start({ hosts: 2, clusters: 1, vmsPerHost: 1 });
  }, 180_000);
  afterAll(async () => r?.stop());

  it('pauses on the failed flip, then resume flips, switches and contracts to done', async () => {
    const since = new Date();
    const planned = await r.plan(RelabelRollouts.publicTo('cloudbr5', { canary: 1, maxUnavailable: 1, abortAfter: 2 }));
    expect(planned.status).toBe(201);
    const id = planned.body.id;
    r.h.zone.cloudstack.faults.failNextJob(1, { command: 'updateTrafficType', errorcode: 530 });
    expect((await r.h.request('POST', `/relabels/${id}/start`, { requestedBy: 'e2e' })).status).toBe(202);

    const paused = await r.h.until('the rollout paused on the flip', async () => {
      const view = await r.get(id);
      return view.state === 'paused' ? view : undefined;
    }, 120_000);
    expect(paused).toMatchObject({ phase: 'flip' });
    expect(paused.reason).toMatch(/label flip of traffic type .* failed: .*resume sends it again/);
    expect(r.label('Public')).toBe('cloudbr1');
    const flips = () => r.mutations(since).filter((c) => c.command === 'updateTrafficType').map((c) => c.params['kvmnetworklabel']);
    expect(flips()).toEqual(['cloudbr5']);
    expect(r.mutations(since).some((c) => c.command === 'prepareHostForMaintenance')).toBe(false);

    expect((await r.h.request<RolloutView>('POST', `/relabels/${id}/resume`, { requestedBy: 'e2e' })).status).toBe(202);
    const done = await r.finished(id);
    expect([done.state, done.reason]).toEqual(['done', undefined]);
    expect(r.label('Public')).toBe('cloudbr5');
    expect(flips()).toEqual(['cloudbr5', 'cloudbr5']);
    for (const host of r.h.zone.cloudstack.state.hosts) {
      expect(host).toMatchObject({ state: 'Up', resourceState: 'Enabled' });
      expect((await r.verifiedLayouts(host.id, id)).at(-1)).toBe('new');
    }
  }, 300_000);
});
