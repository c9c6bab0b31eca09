import { PipelineHarness } from '../support/pipeline-harness';

/**
 * A run that made bridges restarts the running agent, whose management-server link drops: CloudStack lists the host
 * Disconnected until the agent connects again by itself (the simulated zone plays that, agentBackAfterMs). api gives
 * it that time instead of sending reconnectHost, which would disconnect it once more; it reconnects only an agent
 * that does not come back in time, once.
 */
describe('api enabling a host whose agent the run restarted', () => {
  const disabled = (h: PipelineHarness, name: string) => h.zone.cloudstack.state.setHostState(name, 'Up', 'Disabled');

  describe('an agent back by itself', () => {
    let h: PipelineHarness;
    beforeAll(async () => {
      h = await PipelineHarness.start({ hosts: 1, personas: ['ubuntu2204'], agentBackAfterMs: 3_000, env: { POLL_INTERVAL_MS: '0', DRIFT_INTERVAL_MS: '0' } });
    }, 30_000);
    afterAll(async () => h?.stop());

    it('is waited for, not reconnected, and the host enabled once CloudStack lists it Up', async () => {
      const { id } = h.host('kvm1');
      disabled(h, 'kvm1');
      await h.configure(id, { requestedBy: 'e2e-agent-back' });
      const { latest } = await h.waitForPhase(id, 'enabled', 'e2e-agent-back', 60_000);

      expect(latest.outcome?.agentRestart).toEqual({ status: 'restarted' });
      // CloudStack saw the restart: the host was Disconnected after the run
      expect(h.zone.cloudstack.calls.of('reconnectHost')).toHaveLength(0);
      expect(h.zone.cloudstack.calls.of('updateHost')).toHaveLength(1);
      expect(h.zone.cloudstack.state.hosts.find((x) => x.name === 'kvm1')).toMatchObject({ state: 'Up', resourceState: 'Enabled' });
    }, 90_000);
  });

  describe('an agent that does not come back in time', () => {
    let h: PipelineHarness;
    beforeAll(async () => {
      // back after 10 min; api waits a fifth of its 10 s reconnect wait, 2 s
      h = await PipelineHarness.start({ hosts: 1, personas: ['ubuntu2204'], agentBackAfterMs: 600_000, env: { POLL_INTERVAL_MS: '0', DRIFT_INTERVAL_MS: '0', CLOUDSTACK_RECONNECT_WAIT_MS: '10000' } });
    }, 30_000);
    afterAll(async () => h?.stop());

    it('is reconnected once, then the host enabled', async () => {
      const { id } = h.host('kvm1');
      disabled(h, 'kvm1');
      await h.configure(id, { requestedBy: 'e2e-agent-late' });
      await h.waitForPhase(id, 'enabled', 'e2e-agent-late', 60_000);

      expect(h.zone.cloudstack.calls.of('reconnectHost')).toHaveLength(1);
      expect(h.zone.cloudstack.calls.of('updateHost')).toHaveLength(1);
    }, 90_000);
  });
});
