import { randomUUID } from 'node:crypto';
import { PipelineHarness } from '../support/pipeline-harness';
import { deliverHostEvent } from '../support/webhook-delivery';

/** What operators name in a request (zones by CloudStack's own names, unknown ids) against the CloudStack simulator. */
describe('operator targets: zone names as CloudStack allows them, 404 for what CloudStack does not know', () => {
  let h: PipelineHarness;

  beforeAll(async () => {
    // No worker and no poller: only what these requests enqueue, and nothing runs it.
    h = await PipelineHarness.start({ hosts: 2, personas: ['ubuntu2204'], worker: false, env: { POLL_INTERVAL_MS: '0' } });
  }, 30_000);
  afterAll(async () => h?.stop());

  it('configures a zone named with spaces, a tilde and parentheses', async () => {
    const zone = h.zone.cloudstack.state.zones[0]!;
    zone.name = 'EU West ~ KVM (1)';
    const res = await h.request<{ hostName: string; enqueued: boolean }[]>('POST', `/zones/${encodeURIComponent(zone.name)}/configure`, {
      dryRun: true,
    });
    expect(res.status).toBe(202);
    expect(res.body.map((r) => r.hostName).sort()).toEqual(['kvm1', 'kvm2']);
    expect(res.body.every((r) => r.enqueued)).toBe(true);
  });

  it.each([
    ['a control character', 'EU West\u0007'],
    ['only spaces', '   '],
    ['more than 255 characters', 'z'.repeat(256)],
  ])('refuses a zone name with %s as a 400', async (_what, name) => {
    const res = await h.request<{ message: string[] }>('POST', `/zones/${encodeURIComponent(name)}/configure`, { dryRun: true });
    expect(res.status).toBe(400);
    expect(res.body.message.join()).toMatch(/^id: must be a CloudStack zone id or name/);
  });

  it('a zone CloudStack does not have is a 404 naming it', async () => {
    const res = await h.request<{ message: string }>('POST', `/zones/${encodeURIComponent('Nowhere (2)')}/configure`, {});
    expect(res.status).toBe(404);
    expect(res.body.message).toMatch(/Nowhere \(2\)/);
  });

  it('still refuses a host or cluster id with spaces or punctuation: ids stay strict', async () => {
    expect((await h.request('POST', `/clusters/${encodeURIComponent('a~b (1)')}/configure`, {})).status).toBe(400);
    expect((await h.request('POST', `/hosts/${encodeURIComponent('a~b (1)')}/configure`, {})).status).toBe(400);
  });

  it('an unknown cluster or host is a 404 naming it, not a 500', async () => {
    const cluster = randomUUID();
    const clusterRes = await h.request<{ statusCode: number; message: string }>('POST', `/clusters/${cluster}/configure`, {});
    expect(clusterRes).toEqual({ status: 404, body: expect.objectContaining({ message: `CloudStack has no cluster with id ${cluster}` }) });
    const host = randomUUID();
    const hostRes = await h.request<{ message: string }>('POST', `/hosts/${host}/configure`, {});
    expect(hostRes).toEqual({ status: 404, body: expect.objectContaining({ message: `CloudStack has no host with id ${host}` }) });
  });

  it('a webhook about a host CloudStack does not know is a 404 naming it, not a 500', async () => {
    const host = randomUUID();
    const answer = await deliverHostEvent(h.apiUrl, h.env.WEBHOOK_SECRET!, 'HOST.RECONNECT', host);
    expect(answer.status).toBe(404);
    expect((answer.body as { message?: string }).message).toBe(`HOST.RECONNECT names host ${host}: CloudStack has no host with id ${host}`);
  });
});
