import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue, Worker } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { JobName, QueueName } from '@hostnet/contracts';
import { API_TOKEN } from '../../../apps/api/src/auth/api-token.guard';
import { DashboardModule } from '../../../apps/api/src/dashboard/dashboard.module';
import type { DashboardDeltaEvent, DashboardPageEvent } from '../../../apps/api/src/dashboard/dashboard-events.service';
import { BULLMQ_CONNECTION } from '../../../apps/api/src/dashboard/dashboard.tokens';
import { HostJobEventsSource, type HostJobLiveEvent } from '../../../apps/api/src/jobs/host-job-events.source';
import { HostStatusRepository } from '../../../apps/api/src/hosts/host-status.repository';
import { HostTriggerService } from '../../../apps/api/src/triggers/host-trigger.service';
import { baseUrl, depsModule, dropPrefix, RecordingHostTrigger, REDIS_URL, statusRecord, TOKEN, uniquePrefix } from './api-extras.fixtures';
import { SseReader } from './sse-reader';

const EVIL_NAME = '<img src=x onerror=alert(1)>kvm';

describe('dashboard (real Redis, real BullMQ worker, real HTTP)', () => {
  const statusPrefix = uniquePrefix('dash-status');
  const bullPrefix = uniquePrefix('dash-bull');
  const hostA = randomUUID();
  const hostB = randomUUID();
  let app: INestApplication;
  let url: string;
  let queue: Queue;
  let worker: Worker;
  const readers: SseReader[] = [];
  let closed = false;
  const triggers = new RecordingHostTrigger();

  beforeAll(async () => {
    const deps = depsModule(statusPrefix, [
      { provide: API_TOKEN, useValue: TOKEN },
      { provide: HostTriggerService, useValue: triggers },
      { provide: BULLMQ_CONNECTION, useValue: { connection: { url: REDIS_URL }, prefix: bullPrefix } },
      HostJobEventsSource,
    ]);
    app = await NestFactory.create(DashboardModule.register({ imports: [deps], refreshMs: 150 }), { logger: false });
    await app.listen(0, '127.0.0.1');
    url = baseUrl(app.getHttpServer());
    const statuses = app.get(HostStatusRepository);
    await statuses.record(statusRecord({ hostId: hostA, hostName: EVIL_NAME, zoneId: 'zone-a', clusterId: 'cluster-a1', phase: 'enabled',
      outcome: { status: 'applied', durationsMs: { connect: 120, apply: 3200 } } }));
    await statuses.record(statusRecord({ hostId: hostB, hostName: 'kvm-b', zoneId: 'zone-b', clusterId: undefined, phase: 'failed', reason: 'gateway did not answer' }));

    queue = new Queue(QueueName.HostNetwork, { connection: { url: REDIS_URL }, prefix: bullPrefix });
    worker = new Worker(
      QueueName.HostNetwork,
      async (job) => {
        if (job.data.fail) throw new Error('ssh connect timeout');
        await job.updateProgress({ step: 'apply', percent: 50 });
        return { status: 'applied' };
      },
      { connection: { url: REDIS_URL, maxRetriesPerRequest: null }, prefix: bullPrefix },
    );
    await worker.waitUntilReady();
  });

  afterAll(async () => {
    await Promise.all(readers.map((r) => r.close()));
    await worker?.close();
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    if (!closed) await app?.close();
    await dropPrefix(statusPrefix);
    await dropPrefix(bullPrefix);
  });

  async function openEvents(headers: Record<string, string>, search = ''): Promise<SseReader> {
    const reader = await SseReader.open(`${url}/dashboard/events${search}`, headers);
    readers.push(reader);
    return reader;
  }

  it('refuses the page, the stream and drawers without the token; ?token= only on the page', async () => {
    expect((await fetch(`${url}/dashboard`)).status).toBe(401);
    const wrong = await fetch(`${url}/dashboard?token=wrong-token-xxxxxxxx`);
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { message: string }).message).toBe(
      "the token given is not this api's API_TOKEN: send Authorization: Bearer <API_TOKEN>, or open /dashboard?token=<API_TOKEN> once",
    );
    expect(((await (await fetch(`${url}/dashboard`)).json()) as { message: string }).message).toMatch(/^no API token in the Authorization header or the dashboard's cookie: /);
    expect((await fetch(`${url}/dashboard/events`)).status).toBe(401);
    expect((await fetch(`${url}/dashboard/events?token=${TOKEN}`)).status).toBe(401);
    expect((await fetch(`${url}/dashboard/hosts/${hostA}?token=${TOKEN}`)).status).toBe(401);
    expect((await fetch(`${url}/dashboard`, { headers: { cookie: 'hostnet_token=%E0%A4%A' } })).status).toBe(401);
  });

  it('moves a ?token= first load into an HttpOnly cookie and off the URL, then opens a dashboard session', async () => {
    const res = await fetch(`${url}/dashboard?token=${TOKEN}&phase=failed`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dashboard?phase=failed');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(new RegExp(`^hostnet_token=${TOKEN};`));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await fetch(`${url}/dashboard`, { headers: { cookie: `hostnet_token=${TOKEN}` } });
    expect(page.status).toBe(200);
    expect(page.headers.get('set-cookie')).toMatch(/^hostnet_dashboard_session=[\w-]{43}; Path=\/dashboard; HttpOnly; SameSite=Strict$/);
  });

  it('serves one self-contained page, hosts needing attention first, every value escaped', async () => {
    const res = await fetch(`${url}/dashboard`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    const rowA = html.indexOf(`data-host-id="${hostA}"`);
    const rowB = html.indexOf(`data-host-id="${hostB}"`);
    expect(rowB).toBeGreaterThan(0);
    expect(rowB).toBeLessThan(rowA); // failed first
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;kvm');
    expect(html).not.toContain('<img');
    expect(html).toContain('gateway did not answer');
    expect(html).toContain('connect 120 ms · apply 3.2 s');
    expect(html).toMatch(/<meta name="csrf-token" content="[\w-]{43}">/);
    // No external assets: everything inline, guarded by a per-response nonce.
    expect(html).not.toMatch(/(src|href)="https?:/);
    const nonce = /<script nonce="([^"]+)">/.exec(html)?.[1];
    expect(nonce).toBeDefined();
    expect(res.headers.get('content-security-policy')).toContain(`script-src 'nonce-${nonce}'`);
    const failedOnly = await (await fetch(`${url}/dashboard?phase=failed`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    expect(failedOnly).toContain(`data-host-id="${hostB}"`);
    expect(failedOnly).not.toContain(`data-host-id="${hostA}"`);
  });

  it("serves a host's drawer fragment by id or name, 404 for a host never seen", async () => {
    for (const asked of [hostB, 'KVM-B']) {
      const res = await fetch(`${url}/dashboard/hosts/${asked}`, { headers: { cookie: `hostnet_token=${TOKEN}` } });
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain(`data-host-id="${hostB}"`);
      expect(html).toContain('gateway did not answer');
    }
    const unknown = await fetch(`${url}/dashboard/hosts/nope`, { headers: { cookie: `hostnet_token=${TOKEN}` } });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { message: string }).message).toBe('hostnet has no record of a host with id or name "nope": GET /hosts lists the hosts it has run');
  });

  it("answers a host's change stream for a host never seen with a 404, not a stream that never speaks", async () => {
    const unknown = await fetch(`${url}/dashboard/hosts/kvm9/events`, { headers: { cookie: `hostnet_token=${TOKEN}` } });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { message: string }).message).toMatch(/^hostnet has no record of a host with id or name "kvm9"/);
    const byName = new AbortController();
    const stream = await fetch(`${url}/dashboard/hosts/kvm-b/events`, { headers: { cookie: `hostnet_token=${TOKEN}` }, signal: byName.signal });
    expect([stream.status, stream.headers.get('content-type')]).toEqual([200, 'text/event-stream']);
    byName.abort();
  });

  it('runs drawer actions only with the session CSRF token: 403 without it, whatever the credential', async () => {
    const page = await fetch(`${url}/dashboard`, { headers: { cookie: `hostnet_token=${TOKEN}` } });
    const session = /^(hostnet_dashboard_session=[^;]+)/.exec(page.headers.get('set-cookie') ?? '')![1]!;
    const csrf = /<meta name="csrf-token" content="([^"]+)">/.exec(await page.text())![1]!;
    const cookie = `hostnet_token=${TOKEN}; ${session}`;
    const post = (path: string, headers: Record<string, string>) => fetch(`${url}/dashboard/hosts/${path}`, { method: 'POST', headers });

    expect((await post(`${hostA}/dry-run`, {})).status).toBe(401);
    expect((await post(`${hostA}/dry-run`, { cookie })).status).toBe(403);
    expect((await post(`${hostA}/dry-run`, { authorization: `Bearer ${TOKEN}` })).status).toBe(403);
    expect((await post(`${hostA}/dry-run`, { cookie, 'x-csrf-token': 'x'.repeat(43) })).status).toBe(403);
    expect((await post(`${hostA}/dry-run`, { cookie, 'x-csrf-token': csrf, origin: 'https://evil.example' })).status).toBe(403);
    expect(triggers.calls).toEqual([]);

    const accepted = await post(`${hostA}/dry-run`, { cookie, 'x-csrf-token': csrf, origin: url });
    expect(accepted.status).toBe(202);
    expect(await accepted.json()).toMatchObject({ hostId: hostA, enqueued: true });
    expect((await post(`${hostA}/force`, { cookie, 'x-csrf-token': csrf })).status).toBe(202);
    expect(triggers.calls).toEqual([
      { hostId: hostA, options: { mode: 'dry-run', force: false, trigger: { kind: 'operator', by: 'dashboard' } } },
      { hostId: hostA, options: { mode: 'apply', force: true, trigger: { kind: 'operator', by: 'dashboard' } } },
    ]);
    expect((await post(`${hostA}/delete`, { cookie, 'x-csrf-token': csrf })).status).toBe(400);
    triggers.missing.add('gone');
    expect((await post('gone/configure', { cookie, 'x-csrf-token': csrf })).status).toBe(404);
  });

  it('streams the page on connect, live job events from a real worker, then only the rows that changed', async () => {
    const events = await openEvents({ cookie: `hostnet_token=${TOKEN}` });
    expect(events.response.status).toBe(200);
    expect(events.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const first = await events.next();
    expect(first.type).toBe('page');
    const page = first.data as DashboardPageEvent;
    expect(page.order).toEqual([hostB, hostA]);
    expect(page.rows).toContain('&lt;img src=x');
    expect(page.rows).not.toContain('<img');

    await queue.add(JobName.ConfigureHost, { fail: false }, { jobId: `host-${hostA}` });
    const active = (await events.next((e) => e.type === 'active')).data as HostJobLiveEvent;
    expect(active).toMatchObject({ state: 'active', jobId: `host-${hostA}`, hostId: hostA });
    const progress = (await events.next((e) => e.type === 'progress')).data as HostJobLiveEvent;
    expect(progress.progress).toEqual({ step: 'apply', percent: 50 });
    const completed = (await events.next((e) => e.type === 'completed')).data as HostJobLiveEvent;
    expect(completed).toMatchObject({ jobId: `host-${hostA}`, hostId: hostA, status: 'applied' });

    await queue.add(JobName.ConfigureHost, { fail: true }, { jobId: `host-${hostB}` });
    const failed = (await events.next((e) => e.type === 'failed')).data as HostJobLiveEvent;
    expect(failed).toMatchObject({ hostId: hostB, reason: 'ssh connect timeout' });

    // A result recorded elsewhere (another api replica) reaches the open page on the next refresh, as one row.
    await app.get(HostStatusRepository).record(statusRecord({ hostId: hostB, hostName: 'kvm-b', zoneId: 'zone-b', phase: 'enabled' }));
    const delta = (await events.next((e) => e.type === 'delta', 5_000)).data as DashboardDeltaEvent;
    expect(delta.upserts.map((u) => [u.hostId, u.phase])).toEqual([[hostB, 'enabled']]);
    expect(delta.order).toEqual([hostA, hostB]); // natural order once nothing needs attention
    expect(delta.counts).toContain('<strong>2</strong> enabled');
  });

  it('streams a filtered page: a host entering the filter is sent as its row, one leaving it is removed', async () => {
    const events = await openEvents({ authorization: `Bearer ${TOKEN}` }, '?phase=failed');
    expect((await events.next((e) => e.type === 'page')).data).toMatchObject({ order: [], matched: 0, total: 2 });
    const statuses = app.get(HostStatusRepository);
    await statuses.record(statusRecord({ hostId: hostA, hostName: EVIL_NAME, zoneId: 'zone-a', phase: 'failed', reason: 'lost <gateway>' }));
    const entered = (await events.next((e) => e.type === 'delta', 5_000)).data as DashboardDeltaEvent;
    expect(entered).toMatchObject({ removed: [], order: [hostA], matched: 1 });
    expect(entered.upserts.map((u) => u.hostId)).toEqual([hostA]);
    expect(entered.upserts[0]!.html).toContain('lost &lt;gateway&gt;');
    await statuses.record(statusRecord({ hostId: hostA, hostName: EVIL_NAME, zoneId: 'zone-a', phase: 'enabled' }));
    const left = (await events.next((e) => e.type === 'delta', 5_000)).data as DashboardDeltaEvent;
    expect(left).toMatchObject({ upserts: [], removed: [hostA], order: [], matched: 0 });
  });

  it('app shutdown ends open streams instead of waiting for the dashboards to leave', async () => {
    const events = await openEvents({ authorization: `Bearer ${TOKEN}` });
    await events.next((e) => e.type === 'page');
    const closing = app.close().then(() => 'closed');
    closed = true;
    const timeout = new Promise((resolve) => setTimeout(() => resolve('still open'), 5_000).unref());
    expect(await Promise.race([closing, timeout])).toBe('closed');
    await expect(events.next(() => false, 2_000)).rejects.toThrow(/SSE stream ended/);
  });
});
