import { snapshotChanges, snapshotFiles } from '../support/host-files';
import { PipelineHarness } from '../support/pipeline-harness';

describe('dry-run: render and diff against the host, change nothing', () => {
  let h: PipelineHarness;

  beforeAll(async () => {
    // Poller off: the fresh host must only ever see the operator's dry-run.
    h = await PipelineHarness.start({ hosts: 1, personas: ['ubuntu2204'], env: { POLL_INTERVAL_MS: '0' } });
  }, 30_000);
  afterAll(async () => h?.stop());

  it('records a diff of what would change and leaves the host and CloudStack untouched', async () => {
    const { kvm, id } = h.host('kvm1');
    const files = snapshotFiles(kvm.rootDir);
    const live = kvm.readLiveState();

    const accepted = await h.configure(id, { dryRun: true, requestedBy: 'e2e-dry-run' });
    expect(accepted).toMatchObject({ status: 202, body: { enqueued: true } });
    const { latest } = await h.waitForPhase(id, 'dry-run', 'e2e-dry-run');

    const outcome = latest.outcome!;
    expect(outcome).toMatchObject({ status: 'dry-run', target: 'netplan-linux' });
    const netplan = outcome.diff!.files.find((f) => f.path.startsWith('/etc/netplan/') && f.change === 'create');
    expect(netplan?.unified).toMatch(/^\+.*cloudbr0/m);
    expect(netplan?.unified).toMatch(/^\+.*bond0/m);
    expect(outcome.diff!.live.join('\n')).toMatch(/cloudbr0/);
    expect(outcome.steps).toEqual([]);
    expect(outcome.roundTrips).toMatchObject({ facts: 1, total: 1 });
    // its own bookkeeping in the history says it was a dry-run's (a refused one never reads as a failed run)
    const { body } = await h.request<{ history: { phase: string; dryRun?: boolean }[] }>('GET', `/hosts/${id}`);
    expect(body!.history.map((r) => [r.phase, r.dryRun])).toEqual([['dry-run', true], ['queued', true]]);
    // a host hostnet never ran has no record but the dry-run's: its zone and cluster names come from the run's
    // trigger, so `hostnet hosts --zone/--cluster` and the dashboard find it by name, not as a bare uuid
    const { state } = h.zone.cloudstack;
    const zoneName = state.zones[0]!.name;
    const clusterName = state.clusters.find((c) => c.id === state.hosts[0]!.clusterId)!.name;
    expect(latest).toMatchObject({ zoneName, clusterName });
    for (const query of [`zone=${zoneName}`, `cluster=${clusterName}`]) {
      const listed = await h.request<{ hostId: string }[]>('GET', `/hosts?${query}`);
      expect([query, listed.body.map((r) => r.hostId)]).toEqual([query, [id]]);
    }

    // The host: one read-only exec, not a byte or an mtime changed, same live network.
    expect(kvm.stats.execs).toBe(1);
    expect(snapshotChanges(files, snapshotFiles(kvm.rootDir))).toEqual([]);
    expect(kvm.readLiveState()).toEqual(live);
    // CloudStack: nothing asked of it; the host stays Disabled.
    expect(h.zone.cloudstack.calls.mutations()).toEqual([]);
    expect(h.zone.cloudstack.state.hosts[0]!.resourceState).toBe('Disabled');

    // The steps it says an apply would run are the ones the apply then runs, in order.
    const planned = outcome.planned!.map((s) => s.name);
    expect(planned.length).toBeGreaterThan(0);
    await h.configure(id, { requestedBy: 'e2e-after-dry-run' });
    const applied = await h.waitForPhase(id, 'enabled', 'e2e-after-dry-run');
    const verified = [applied.latest, ...applied.history].find((r) => r.phase === 'verified');
    expect(verified?.outcome?.steps?.map((s) => s.name)).toEqual(planned);
  }, 90_000);

  it('a dry-run refused before it ran is the host\'s latest word, its phase kept, not an older clean dry-run', async () => {
    const { id } = h.host('kvm1');
    const before = (await h.view(id))!.latest;
    const publicTraffic = h.zone.cloudstack.state.trafficTypes.find((t) => t.trafficType === 'Public')!;
    const original = publicTraffic.kvmNetworkLabel;
    publicTraffic.kvmNetworkLabel = 'cloud br0;rm';
    try {
      const refused = await h.configure(id, { dryRun: true, requestedBy: 'e2e-refused-dry-run' });
      expect(refused).toMatchObject({ status: 422, body: { message: expect.stringMatching(/cloud br0;rm/) } });
      const { latest } = (await h.view(id))!;
      expect(latest).toMatchObject({ phase: before.phase, dryRun: true, trigger: { by: 'e2e-refused-dry-run' } });
      expect(latest.reason).toMatch(/^dry-run did not complete \(failed\): .*cloud br0;rm/s);
    } finally {
      publicTraffic.kvmNetworkLabel = original;
    }
  }, 60_000);
});
