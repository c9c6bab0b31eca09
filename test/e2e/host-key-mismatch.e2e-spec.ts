import { configureHostJobId, QueueName } from '@hostnet/contracts';
import { PipelineHarness } from '../support/pipeline-harness';

describe('host-key mismatch is refused', () => {
  let h: PipelineHarness;

  beforeAll(async () => {
    h = await PipelineHarness.start({ hosts: 1 });
  }, 30_000);
  afterAll(async () => h?.stop());

  it('fails the job permanently (one attempt, no retry) naming the host and both fingerprints', async () => {
    const { kvm, id } = h.host('kvm1');
    // A first successful run against the key pinned in known_hosts.
    await h.waitForPhase(id, 'enabled', undefined, 30_000);
    const pinned = kvm.hostKeyFingerprint;
    const presented = kvm.presentDifferentHostKey();
    expect(presented).not.toBe(pinned);
    const { connections, execs } = kvm.stats;

    await h.configure(id, { force: true, requestedBy: 'e2e-hostkey' });
    const { latest, history } = await h.waitForPhase(id, 'failed', 'e2e-hostkey');

    expect(latest.reason).toContain('HostKeyMismatchError');
    expect(latest.reason).toContain(`kvm1 (127.0.0.1:${kvm.endpoint.port})`);
    expect(latest.reason).toContain(pinned);
    expect(latest.reason).toContain(presented);
    expect(latest.outcome).toMatchObject({ status: 'failed', permanent: true });

    // No retry: the job is gone rather than delayed, one result for one attempt, one connection
    // attempt, and none more after the first backoff (2 s ± jitter) would have passed. The one exec is the
    // facts read over the connection the first run kept open (HOSTNET_SSH_KEEP_SECONDS), made and checked
    // against the pinned key before the key changed; the change itself needed a new connection, refused.
    expect(await h.queue(QueueName.HostNetwork).getJob(configureHostJobId(id))).toBeUndefined();
    const reports = (await h.reportedResults(id)).filter((j) => j.data.request.trigger.by === 'e2e-hostkey');
    expect(reports.map((j) => j.data.attempts)).toEqual([1]);
    await new Promise((r) => setTimeout(r, 3_500));
    expect(kvm.stats.connections - connections).toBe(1);
    expect(kvm.stats.execs - execs).toBe(1);
    expect((await h.view(id))!.history).toHaveLength(history.length);
  }, 60_000);
});
