import { PipelineHarness } from '../support/pipeline-harness';

interface HostStatus {
  hostId: string;
  hostName: string;
  phase: string;
  reason?: string;
  outcome?: { status: string; roundTrips?: Record<string, number> };
}

describe('pipeline: host detected → job → SSH apply → verified → enabled', () => {
  let h: PipelineHarness;

  beforeAll(async () => {
    h = await PipelineHarness.start({ hosts: 3 });
  }, 60_000);
  afterAll(async () => h?.stop());

  it('configures every new Disabled host, verifies it and enables it in CloudStack', async () => {
    const statuses = await h.until('all hosts enabled', async () => {
      const { body } = await h.request<HostStatus[]>('GET', '/hosts');
      return body.length === 3 && body.every((s) => s.phase === 'enabled') ? body : undefined;
    }, 60_000);
    expect(statuses.map((s) => s.hostName).sort()).toEqual(['kvm1', 'kvm2', 'kvm3']);
    for (const host of h.zone.cloudstack.state.hosts) expect(host.resourceState).toBe('Enabled');
    const enables = h.zone.cloudstack.calls.mutations().filter((c) => c.command === 'updateHost');
    expect(enables).toHaveLength(3);
    expect(enables.every((c) => c.params['allocationstate'] === 'Enable')).toBe(true);
  }, 90_000);
});
