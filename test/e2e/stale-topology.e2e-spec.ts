import { PipelineHarness } from '../support/pipeline-harness';

describe('a label changed in CloudStack between enqueue and run', () => {
  let h: PipelineHarness;

  beforeAll(async () => {
    h = await PipelineHarness.start({ hosts: 1, personas: ['ubuntu2204'], env: { POLL_INTERVAL_MS: '0' } });
  }, 30_000);
  afterAll(async () => h?.stop());

  it('is applied as CloudStack has it now, not as the worker last cached the zone', async () => {
    const { id } = h.host('kvm1');
    // A first run fills the worker's shared topology cache with the zone as it is now.
    await h.configure(id, { dryRun: true, requestedBy: 'warm-cache' });
    const warm = await h.waitForPhase(id, 'dry-run', 'warm-cache');

    // An operator renames the Public label (updateTrafficType).
    const publicTraffic = h.zone.cloudstack.state.trafficTypes.find((t) => t.trafficType === 'Public')!;
    publicTraffic.kvmNetworkLabel = 'cloudbr7';

    await h.configure(id, { requestedBy: 'after-relabel' });
    const { latest } = await h.waitForPhase(id, 'enabled', 'after-relabel', 45_000);
    expect(latest.specHash).not.toBe(warm.latest.specHash);
    // What the worker applied is the spec api derived from CloudStack after the change.
    expect(latest.outcome?.specHash).toBe(latest.specHash);
  }, 90_000);
});
