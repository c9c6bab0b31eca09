import { HostPollerService } from '../../apps/api/src/poller/host-poller.service';
import { PipelineHarness } from '../support/pipeline-harness';

/** A host an operator put into maintenance (to reconfigure it with its VMs moved away) is configured, not enabled. */
describe("a host in an operator's maintenance", () => {
  let h: PipelineHarness;

  beforeAll(async () => {
    // Poller off: it leaves operator-owned hosts alone anyway; only the operator's request runs here.
    h = await PipelineHarness.start({ hosts: 1, personas: ['ubuntu2204'], env: { POLL_INTERVAL_MS: '0' } });
  }, 30_000);
  afterAll(async () => h?.stop());

  it('is configured and verified, stays in Maintenance with no CloudStack call, and is not recorded enabled', async () => {
    const { id } = h.host('kvm1');
    const host = h.zone.cloudstack.state.hosts[0]!;
    host.resourceState = 'Maintenance';

    expect((await h.configure(id, { requestedBy: 'e2e-maintenance' })).status).toBe(202);
    await h.waitForPhase(id, 'verified', 'e2e-maintenance');
    await h.waitForNoRun(id);
    const { body } = await h.request<{ latest: { phase: string; reason?: string; outcome?: { status?: string } }; history: { phase: string }[] }>('GET', `/hosts/${id}`);
    const { latest } = body;

    expect(latest.reason).toMatch(/^not enabled: CloudStack shows the host in Maintenance, and hostnet enables only a Disabled host; the network is configured and verified; fix: end the maintenance in CloudStack/);
    expect(latest.outcome?.status).toBe('applied');
    expect(host.resourceState).toBe('Maintenance');
    expect(h.zone.cloudstack.calls.mutations()).toEqual([]);
    expect(latest.phase).toBe('verified');
    expect(body.history.map((r) => r.phase)).not.toContain('enabled');
  }, 90_000);

  it('is recorded enabled by the poller once CloudStack shows it Enabled again, saying CloudStack did it, with no hostnet call', async () => {
    const { id } = h.host('kvm1');
    const host = h.zone.cloudstack.state.hosts[0]!;
    const poller = h.api.get(HostPollerService);
    // still in maintenance: a pass leaves the record as it is
    await poller.pollZone(host.zoneId);
    expect((await h.view(id))!.latest.phase).toBe('verified');

    // the operator's cancelHostMaintenance: CloudStack reconnects the agent and enables the host
    Object.assign(host, { state: 'Up', resourceState: 'Enabled' });
    const since = (await h.view(id))!.history.length;
    await poller.pollZone(host.zoneId);
    const { latest } = (await h.view(id))!;
    expect(latest).toMatchObject({ phase: 'enabled', trigger: { kind: 'poller' } });
    expect(latest.reason).toMatch(/^CloudStack shows the host Up and Enabled again since its run verified this spec \(the operator ended the maintenance or enabled it\); hostnet made no enable call$/);
    expect(latest.reason).not.toMatch(/end the maintenance in CloudStack/);
    expect(latest.cloudstackCalls).toBeUndefined();
    expect(h.zone.cloudstack.calls.mutations()).toEqual([]);
    // hosts --phase verified no longer lists it; a second pass records nothing more
    const verified = await h.request<{ hostName: string }[]>('GET', '/hosts?phase=verified');
    expect(verified.body).toEqual([]);
    await poller.pollZone(host.zoneId);
    expect((await h.view(id))!.history.length).toBe(since + 1);
    await h.waitForNoRun(id);
  }, 90_000);
});
