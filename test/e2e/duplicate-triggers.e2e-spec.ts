import { HostPollerService } from '../../apps/api/src/poller/host-poller.service';
import { PipelineHarness } from '../support/pipeline-harness';
import { deliverHostEvent } from '../support/webhook-delivery';

describe('duplicate triggers for one host → one job', () => {
  let h: PipelineHarness;

  beforeAll(async () => {
    // The poller is driven by hand so its pass lands at the same moment as the other triggers.
    h = await PipelineHarness.start({ hosts: 1, applyLatencyMs: 1_000, env: { POLL_INTERVAL_MS: '0' } });
  }, 30_000);
  afterAll(async () => h?.stop());

  it('runs exactly one job for operator requests, a poller pass and a webhook arriving together', async () => {
    const { kvm, id, record } = h.host('kvm1');
    const poller = h.api.get(HostPollerService);

    const [posts, poll, webhook] = await Promise.all([
      Promise.all(Array.from({ length: 5 }, (_, i) => h.configure(id, { requestedBy: `e2e-dup-${i}` }))),
      poller.pollZone(record.zoneId),
      deliverHostEvent(h.apiUrl, h.env.WEBHOOK_SECRET!, 'HOST.RECONNECT', id),
    ]);

    expect(posts.map((p) => p.status)).toEqual([202, 202, 202, 202, 202]);
    expect(webhook).toMatchObject({ status: 200, body: { accepted: true } });
    const enqueued = [...posts.map((p) => p.body.enqueued), poll.enqueued.includes('kvm1'), webhook.body.enqueued];
    expect(enqueued.filter(Boolean)).toHaveLength(1);
    expect(new Set([...posts.map((p) => p.body.jobId), webhook.body.jobId])).toEqual(new Set([`host-${id}`]));

    const { history } = await h.waitForPhase(id, 'enabled', undefined, 30_000);
    await new Promise((r) => setTimeout(r, 1_500)); // room for a second job to show up if there were one

    // One run on the host: facts + apply on one connection; verify, confirm and the agent's restart (the run made
    // the bridges it had not mapped) on a fresh one.
    expect(kvm.stats).toMatchObject({ execs: 5, connections: 2 });
    expect(history.filter((r) => r.phase === 'queued')).toHaveLength(1);
    expect(history.filter((r) => r.phase === 'verified')).toHaveLength(1);
    expect((await h.view(id))!.history).toHaveLength(history.length);
    expect(await h.reportedResults(id)).toHaveLength(1);
    expect(h.zone.cloudstack.calls.of('updateHost')).toHaveLength(1);
  }, 60_000);
});
