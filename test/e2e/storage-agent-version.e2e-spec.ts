import { PipelineHarness } from '../support/pipeline-harness';

describe("the storage rule follows the agent version CloudStack reports (listHosts)", () => {
  let h: PipelineHarness;

  beforeAll(async () => {
    h = await PipelineHarness.start({ hosts: 1, personas: ['ubuntu2204'], env: { POLL_INTERVAL_MS: '0' } });
  }, 30_000);
  afterAll(async () => h?.stop());

  it('refuses the reference layout for a 4.22 Linux-bridge agent, naming the rule, and touches nothing', async () => {
    const { kvm, id } = h.host('kvm1');
    const live = kvm.readLiveState();
    // The zone's other hosts stay on 4.19.1.0; this agent was upgraded. Its agent would take bond0.100 from cloudbr100.
    h.zone.cloudstack.state.hosts[0]!.agentVersion = '4.22.0.0';

    await h.configure(id, { requestedBy: 'e2e-agent-4.22' });
    const { latest } = await h.waitForPhase(id, 'failed', 'e2e-agent-4.22');

    expect(latest.reason).toMatch(/extras\[0\]\.vlan: "bond0\.100" — CloudStack 4\.22\.0\.0 agent \(Linux bridge\): for the storage NIC the agent itself creates brbond0-100 from bond0\.100/);
    expect(latest.reason).toMatch(/fix: let the agent own bond0\.100/);
    expect(kvm.stats.execs).toBe(0);
    expect(kvm.readLiveState()).toEqual(live);
    expect(h.zone.cloudstack.calls.mutations()).toEqual([]);
    expect(h.zone.cloudstack.state.hosts[0]!.resourceState).toBe('Disabled');
  }, 60_000);
});
