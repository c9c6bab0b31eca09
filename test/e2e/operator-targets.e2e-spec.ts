import { randomUUID } from 'node:crypto';
import { PipelineHarness } from '../support/pipeline-harness';
import { deliverHostEvent } from '../support/webhook-delivery';

/** What operators name in a request (zones by CloudStack's own names, unknown ids) against the CloudStack simulator. */
describe('operator targets: zone and cluster names as CloudStack allows them, 404 for what CloudStack does not know, 409 for a name that is not unique', () => {
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

  it('a zone request that runs no host is no 202: every host held by the dry-runs above (no worker takes them) is a 409 with each answer', async () => {
    const zone = h.zone.cloudstack.state.zones[0]!;
    const res = await h.request<{ message: string; results: { hostName: string; skipped?: string }[] }>('POST', `/zones/${encodeURIComponent(zone.name)}/configure`, {});
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/^no host of zone EU West ~ KVM \(1\) was run: kvm\d: a dry-run of this host \(run [^)]+\) is in flight/);
    expect(res.body.results.map((r) => r.hostName).sort()).toEqual(['kvm1', 'kvm2']);
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

  it.each([
    ['text/plain', '{"dryRun":true}'],
    ['application/x-www-form-urlencoded', 'dryRun=true'],
  ])('refuses a configure body sent as %s (415), never reading it as no options, which would apply', async (contentType, body) => {
    const host = h.zone.cloudstack.state.hosts[1]!;
    const before = await h.request('GET', `/hosts/${host.id}`);
    const res = await fetch(`${h.apiUrl}/hosts/${host.id}/configure`, { method: 'POST', headers: { authorization: `Bearer ${h.env.API_TOKEN}`, 'content-type': contentType }, body });
    expect(res.status).toBe(415);
    expect(((await res.json()) as { message: string }).message).toBe(
      `the request body is not JSON (Content-Type "${contentType}"): send it with Content-Type: application/json, nothing was done`,
    );
    // nothing was triggered: the host's status and history are as they were
    expect(await h.request('GET', `/hosts/${host.id}`)).toEqual(before);
  });

  it.each([
    ['{mode: "dry-run"}', ' (invalid JSON at position 1)'],
    ['{"mode":', ''],
    ['null', ''],
    ['"apply"', ''],
  ])('refuses a body that is not a JSON object (%s) with a 400 saying what to send, without quoting it back', async (body, where) => {
    const host = h.zone.cloudstack.state.hosts[1]!;
    const before = await h.request('GET', `/hosts/${host.id}`);
    const res = await fetch(`${h.apiUrl}/hosts/${host.id}/configure`, { method: 'POST', headers: { authorization: `Bearer ${h.env.API_TOKEN}`, 'content-type': 'application/json' }, body });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toBe(
      `the request body is not a JSON object${where}: send one, e.g. {} for the defaults, with Content-Type: application/json; nothing was done`,
    );
    expect(await h.request('GET', `/hosts/${host.id}`)).toEqual(before);
  });

  it('refuses a body over the limit with a 413 that says the limit, and does nothing', async () => {
    const host = h.zone.cloudstack.state.hosts[1]!;
    const before = await h.request('GET', `/hosts/${host.id}`);
    const body = JSON.stringify({ dryRun: true, requestedBy: 'x'.repeat(200_000) });
    const res = await fetch(`${h.apiUrl}/hosts/${host.id}/configure`, { method: 'POST', headers: { authorization: `Bearer ${h.env.API_TOKEN}`, 'content-type': 'application/json' }, body });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { message: string }).message).toMatch(/^the request body is larger than api takes \(100kb\); .*nothing was done$/);
    expect(await h.request('GET', `/hosts/${host.id}`)).toEqual(before);
  });

  it('still refuses a host id with spaces or punctuation: host ids stay strict', async () => {
    expect((await h.request('POST', `/hosts/${encodeURIComponent('a~b (1)')}/configure`, {})).status).toBe(400);
  });

  it('configures a cluster by a name CloudStack allows, URL-encoded', async () => {
    const cluster = h.zone.cloudstack.state.clusters[0]!;
    cluster.name = 'Rack ~ 7 (KVM) / ünïcode';
    const res = await h.request<{ hostName: string; enqueued: boolean }[]>('POST', `/clusters/${encodeURIComponent(cluster.name)}/configure`, {
      dryRun: true,
    });
    expect(res.status).toBe(202);
    expect(res.body.map((r) => r.hostName).sort()).toEqual(['kvm1', 'kvm2']);
  });

  it('a cluster name found in two zones is a 409 listing both candidates', async () => {
    const state = h.zone.cloudstack.state;
    const cluster = state.clusters[0]!;
    const zone = { ...state.zones[0]!, id: randomUUID(), name: 'Second zone' };
    const twin = { ...cluster, id: randomUUID(), zoneId: zone.id };
    state.zones.push(zone);
    state.clusters.push(twin);
    try {
      const res = await h.request<{ message: string; candidates: { id: string; zoneName: string }[] }>(
        'POST', `/clusters/${encodeURIComponent(cluster.name)}/configure`, { dryRun: true },
      );
      expect(res.status).toBe(409);
      expect(res.body.message).toMatch(/matches 2 clusters.*pass the cluster id instead/);
      expect(res.body.candidates).toEqual([
        expect.objectContaining({ id: cluster.id, zoneName: state.zones[0]!.name }),
        expect.objectContaining({ id: twin.id, zoneName: 'Second zone' }),
      ]);
      // The id still names exactly one.
      expect((await h.request('POST', `/clusters/${cluster.id}/configure`, { dryRun: true })).status).toBe(202);
    } finally {
      state.clusters.splice(state.clusters.indexOf(twin), 1);
      state.zones.splice(state.zones.indexOf(zone), 1);
    }
  });

  it('an unknown cluster (id or name) or host is a 404 naming it, not a 500', async () => {
    for (const cluster of [randomUUID(), 'No such rack (9)']) {
      const clusterRes = await h.request<{ statusCode: number; message: string }>('POST', `/clusters/${encodeURIComponent(cluster)}/configure`, {});
      expect(clusterRes).toEqual({ status: 404, body: expect.objectContaining({ message: expect.stringMatching(new RegExp(`^CloudStack has no cluster with id or name ${JSON.stringify(cluster).replace(/[()]/g, '\\$&')}; known clusters: "[^"]+" \\(zone "[^"]+"\\)`)) }) });
    }
    const host = randomUUID();
    const hostRes = await h.request<{ message: string }>('POST', `/hosts/${host}/configure`, {});
    expect(hostRes).toEqual({ status: 404, body: expect.objectContaining({ message: `CloudStack has no host with id ${host}` }) });
  });

  it('a zone name found twice is a 409 with the candidates (was a 404)', async () => {
    const state = h.zone.cloudstack.state;
    const twin = { ...state.zones[0]!, id: randomUUID() };
    state.zones.push(twin);
    try {
      const res = await h.request<{ message: string; candidates: { id: string }[] }>('POST', `/zones/${encodeURIComponent(twin.name)}/configure`, {});
      expect(res.status).toBe(409);
      expect(res.body.candidates.map((c) => c.id)).toEqual([state.zones[0]!.id, twin.id]);
    } finally {
      state.zones.splice(state.zones.indexOf(twin), 1);
    }
  });

  it('a body over the limit is a 413, not a 500', async () => {
    const res = await h.request('POST', `/hosts/${randomUUID()}/configure`, { requestedBy: 'x'.repeat(200_000) });
    expect(res.status).toBe(413);
  });

  it('answers with the security headers and keeps /docs behind the token', async () => {
    const res = await fetch(`${h.apiUrl}/docs-json`);
    expect(res.status).toBe(401);
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    const docs = await fetch(`${h.apiUrl}/docs-json`, { headers: { authorization: `Bearer ${h.env.API_TOKEN}` } });
    expect(docs.status).toBe(200);
    const spec = (await docs.json()) as { paths: Record<string, Record<string, { requestBody?: { required?: boolean } }>> };
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/profiles/reload', '/clusters/{id}/configure']));
    // a bare POST (no body) is the defaults, an apply: the spec must not call the body required
    for (const path of ['/hosts/{id}/configure', '/clusters/{id}/configure', '/zones/{id}/configure']) expect(spec.paths[path]!.post!.requestBody?.required).toBe(false);
  });

  it('a webhook about a host CloudStack does not know is a 404 naming it, not a 500', async () => {
    const host = randomUUID();
    const answer = await deliverHostEvent(h.apiUrl, h.env.WEBHOOK_SECRET!, 'HOST.RECONNECT', host);
    expect(answer.status).toBe(404);
    expect((answer.body as { message?: string }).message).toBe(`HOST.RECONNECT names host ${host}: CloudStack has no host with id ${host}`);
  });
});
