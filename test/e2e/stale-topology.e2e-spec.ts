import { PipelineHarness } from '../support/pipeline-harness';

describe('a label changed in CloudStack between enqueue and result', () => {
  let h: PipelineHarness;

  beforeAll(async () => {
    // No worker yet: the job waits in the queue with the spec api derived, while CloudStack changes.
    h = await PipelineHarness.start({ hosts: 1, personas: ['ubuntu2204'], worker: false, env: { POLL_INTERVAL_MS: '0', DRIFT_INTERVAL_MS: '0' } });
  }, 30_000);
  afterAll(async () => h?.stop());

  it('is not enabled for the spec it applied; api re-runs it once, and what is enabled is what CloudStack has now', async () => {
    const { id } = h.host('kvm1');
    expect((await h.configure(id, { requestedBy: 'before-relabel' })).body.enqueued).toBe(true);
    const queued = await h.waitForPhase(id, 'queued', 'before-relabel');

    // An operator renames the Public label (updateTrafficType) while the job waits.
    const publicTraffic = h.zone.cloudstack.state.trafficTypes.find((t) => t.trafficType === 'Public')!;
    publicTraffic.kvmNetworkLabel = 'cloudbr7';
    await h.startWorker();

    const { latest, history } = await h.waitForPhase(id, 'enabled', 'before-relabel', 60_000);
    // The worker applied what api stored at enqueue (it reads no CloudStack)…
    const stale = history.find((r) => r.runId === queued.latest.runId && /^not enabled: CloudStack changed during the run/.test(r.reason ?? ''));
    expect(stale).toMatchObject({ phase: 'verified', specHash: queued.latest.specHash, outcome: { status: 'applied', specHash: queued.latest.specHash } });
    expect(stale?.reason).toMatch(/re-running the host for its current spec$/);
    // …and api enabled only the re-run, whose spec is CloudStack's after the change.
    expect(latest.runId).not.toBe(queued.latest.runId);
    expect(latest.specHash).not.toBe(queued.latest.specHash);
    expect(latest.outcome?.specHash).toBe(latest.specHash);
    expect(latest.trigger?.detail).toMatch(new RegExp(`^re-run of ${queued.latest.runId}: CloudStack changed`));
    expect(history.filter((r) => r.phase === 'enabled')).toHaveLength(1);
    expect(h.zone.cloudstack.state.hosts.find((x) => x.id === id)?.resourceState).toBe('Enabled');
  }, 120_000);
});
