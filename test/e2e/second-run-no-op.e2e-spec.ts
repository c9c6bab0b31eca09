import { snapshotChanges, snapshotFiles } from '../support/host-files';
import { PipelineHarness } from '../support/pipeline-harness';

describe('a second run on a configured host is a no-op', () => {
  let h: PipelineHarness;

  beforeAll(async () => {
    h = await PipelineHarness.start({ hosts: 1 });
  }, 30_000);
  afterAll(async () => h?.stop());

  it('writes nothing, activates nothing and asks CloudStack for no change', async () => {
    const { kvm, id } = h.host('kvm1');
    // The first run is a full apply (a dozen activation steps on EL); CI runs it beside the lab specs.
    const first = await h.waitForPhase(id, 'enabled', undefined, 90_000);
    expect(h.zone.cloudstack.state.hosts[0]!.resourceState).toBe('Enabled');
    // It made the label bridges the running agent had not mapped at its start: the agent was restarted after
    // the run was confirmed (its last step), so it maps them before CloudStack reconnects it.
    const applied = first.history.find((r) => r.outcome?.status === 'applied');
    expect(applied?.outcome?.steps?.at(-1)).toMatchObject({ name: 'agent-restart', exitCode: 0 });
    expect(applied?.outcome?.agentRestart).toEqual({ status: 'restarted' });

    const files = snapshotFiles(kvm.rootDir);
    const execs = kvm.stats.execs;
    const mutations = h.zone.cloudstack.calls.mutations().length;
    const callsBefore = h.zone.cloudstack.calls.count();

    const accepted = await h.configure(id, { force: false, requestedBy: 'e2e-second-run' });
    expect(accepted).toMatchObject({ status: 202, body: { enqueued: true } });
    const { history } = await h.waitForPhase(id, 'enabled', 'e2e-second-run');

    const run = history.find((r) => r.trigger?.by === 'e2e-second-run' && r.phase === 'no-op');
    expect(run?.outcome?.status).toBe('no-op');
    expect(run?.outcome?.diff?.files.length).toBeGreaterThan(0);
    expect(run?.outcome?.diff?.files.every((f) => f.change === 'same')).toBe(true);
    expect(run?.outcome?.diff?.live).toEqual([]);
    expect(run?.outcome?.steps).toEqual([]);
    // One round trip (facts) and nothing else on the host: no apply, no verify, no confirm.
    expect(run?.outcome?.roundTrips).toMatchObject({ facts: 1, apply: 0, verify: 0, confirm: 0, total: 1 });
    expect(kvm.stats.execs - execs).toBe(1);
    // Nothing written anywhere under the host's root: config files, hostnet's state, the stand-ins'
    // live state (an activation would rewrite .sim/live-state.json and its ip cache).
    expect(snapshotChanges(files, snapshotFiles(kvm.rootDir))).toEqual([]);
    // CloudStack was only read: the host is already Enabled, so no reconnectHost or updateHost.
    expect(h.zone.cloudstack.calls.mutations()).toHaveLength(mutations);
    const newCalls = h.zone.cloudstack.calls.all().slice(callsBefore).map((c) => c.command);
    expect(newCalls).toContain('listHosts');
    expect(newCalls.filter((c) => !c.startsWith('list'))).toEqual([]);
    // The re-check's zone read found the host Up and Enabled: enabling it needed no call of its own.
    expect(history[0]?.cloudstackCalls).toEqual([]);
  }, 150_000);

  it("the host routes take the host's name too; a dry-run by name leaves the enabled host enabled; unknown names are 404s that say so", async () => {
    const { id } = h.host('kvm1');
    const byName = await h.request<{ latest: { hostId: string } }>('GET', '/hosts/kvm1');
    expect(byName.status).toBe(200);
    expect(byName.body.latest.hostId).toBe(id);
    expect(byName.body).toEqual(await h.view(id));
    // in any case, as POST /hosts/KVM1/configure finds it
    expect((await h.request<{ latest: { hostId: string } }>('GET', '/hosts/KVM1')).body.latest.hostId).toBe(id);
    await h.waitForNoRun(id);
    const dry = await h.configure('kvm1', { dryRun: true, requestedBy: 'e2e-by-name' });
    expect(dry).toMatchObject({ status: 202, body: { hostId: id, enqueued: true } });
    const { latest } = await h.waitForDryRun(id, 'e2e-by-name');
    expect(latest).toMatchObject({ phase: 'enabled', dryRun: true, drifted: false });
    expect(await h.configure('kvm9', { dryRun: true })).toEqual({ status: 404, body: expect.objectContaining({ message: 'CloudStack has no KVM host with id or name "kvm9"' }) });
    const unknown = await h.request<{ message: string }>('GET', '/hosts/kvm9');
    expect(unknown).toEqual({ status: 404, body: expect.objectContaining({ message: 'hostnet has no record of a host with id or name "kvm9": GET /hosts lists the hosts it has run' }) });
  });
});
