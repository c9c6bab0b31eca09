import { readFileSync, writeFileSync } from 'node:fs';
import { PipelineHarness } from '../support/pipeline-harness';

/**
 * A configured Open vSwitch host whose profile turns into a Linux-bridge one (here a changed `hosts:`
 * entry; a typo in one does the same through the default selector): the run is refused before anything
 * on the host changes, naming the bridges and the fix, and the host stays enabled on its bridges.
 */
describe('a profile that would switch a configured host backend', () => {
  let h: PipelineHarness;

  beforeAll(async () => {
    h = await PipelineHarness.start({ hosts: 1, personas: ['ubuntu2404'], env: { POLL_INTERVAL_MS: '0' } });
  }, 30_000);
  afterAll(async () => h?.stop());

  it('is refused before any change, naming the bridges and the fix', async () => {
    const { id } = h.host('kvm1');
    expect((await h.configure(id, { requestedBy: 'first' })).status).toBe(202);
    await h.waitForPhase(id, 'enabled', 'first');
    const file = h.env.HOSTNET_PROFILES!;
    writeFileSync(file, readFileSync(file, 'utf8').replace('profile: openvswitch', 'profile: linux-bridge'));
    expect((await h.request('POST', '/profiles/reload')).status).toBe(200);

    expect((await h.configure(id, { requestedBy: 'switch' })).status).toBe(202);
    const { latest } = await h.waitForPhase(id, 'failed', 'switch');

    expect(latest.outcome?.reason).toMatch(
      /^BackendSwitchError: cloudbr0, cloudbr1, cloudbr100 are Open vSwitch bridges on the host and the intent makes them Linux: hostnet does not switch a live bridge's backend \(every VM port on it would be cut\), nothing was changed; fix: check which profile the host takes/,
    );
    expect(latest.outcome?.steps ?? []).toEqual([]);
    expect(h.zone.cloudstack.state.hosts.find((x) => x.id === id)?.resourceState).toBe('Enabled');
  }, 90_000);
});
