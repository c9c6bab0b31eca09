import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue, Worker } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { JobName, QueueName } from '@hostnet/contracts';
import { API_TOKEN } from '../../../apps/api/src/auth/api-token.guard';
import { DashboardModule } from '../../../apps/api/src/dashboard/dashboard.module';
import type { DashboardSnapshot } from '../../../apps/api/src/dashboard/dashboard-events.service';
import { BULLMQ_CONNECTION } from '../../../apps/api/src/dashboard/dashboard.tokens';
import type { HostJobLiveEvent } from '../../../apps/api/src/dashboard/host-job-events.source';
import { HostStatusRepository } from '../../../apps/api/src/hosts/host-status.repository';
import { baseUrl, depsModule, dropPrefix, REDIS_URL, statusRecord, TOKEN, uniquePrefix } from './api-extras.fixtures';
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

  beforeAll(async () => {
    const deps = depsModule(statusPrefix, [
      { provide: API_TOKEN, useValue: TOKEN },
      { provide: BULLMQ_CONNECTION, useValue: { url: REDIS_URL, prefix: bullPrefix } },
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

  async function openEvents(headers: Record<string, string>): Promise<SseReader> {
    const reader = await SseReader.open(`${url}/dashboard/events`, headers);
    readers.push(reader);
    return reader;
  }

  it('refuses the page and the stream without the token', async () => {
    expect((await fetch(`${url}/dashboard`)).status).toBe(401);
    expect((await fetch(`${url}/dashboard?token=wrong-token-xxxxxxxx`)).status).toBe(401);
    expect((await fetch(`${url}/dashboard/events`)).status).toBe(401);
  });

  it('moves a ?token= first load into an HttpOnly cookie and off the URL', async () => {
    const res = await fetch(`${url}/dashboard?token=${TOKEN}&view=all`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dashboard?view=all');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(new RegExp(`^hostnet_token=${TOKEN};`));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await fetch(`${url}/dashboard`, { headers: { cookie: `hostnet_token=${TOKEN}` } });
    expect(page.status).toBe(200);
  });

  it('serves one self-contained page grouped by zone → cluster → host, every value escaped', async () => {
    const res = await fetch(`${url}/dashboard`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    const zoneA = html.indexOf('data-zone-id="zone-a"');
    const clusterA = html.indexOf('data-cluster-id="cluster-a1"');
    const rowA = html.indexOf(`data-host-id="${hostA}"`);
    const zoneB = html.indexOf('data-zone-id="zone-b"');
    expect([zoneA, clusterA, rowA, zoneB].every((i) => i > 0)).toBe(true);
    expect(zoneA < clusterA && clusterA < rowA && rowA < zoneB).toBe(true);
    expect(html).toContain('data-cluster-id="(no cluster)"');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;kvm');
    expect(html).not.toContain('<img');
    expect(html).toContain('gateway did not answer');
    expect(html).toContain('connect 120 ms · apply 3.2 s');
    // No external assets: everything inline, guarded by a per-response nonce.
    expect(html).not.toMatch(/(src|href)="https?:/);
    const nonce = /<script nonce="([^"]+)">/.exec(html)?.[1];
    expect(nonce).toBeDefined();
    expect(res.headers.get('content-security-policy')).toContain(`script-src 'nonce-${nonce}'`);
  });

  it('streams a snapshot on connect, then live job events from a real worker, then fresh statuses', async () => {
    const events = await openEvents({ cookie: `hostnet_token=${TOKEN}` });
    expect(events.response.status).toBe(200);
    expect(events.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const first = await events.next();
    expect(first.type).toBe('snapshot');
    const snapshot = first.data as DashboardSnapshot;
    expect(snapshot.hosts.map((h) => h.hostId).sort()).toEqual([hostA, hostB].sort());
    expect(snapshot.html).toContain('&lt;img src=x');
    expect(snapshot.html).not.toContain('<img');

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

    // A result recorded elsewhere (another api replica) reaches the open page on the next refresh.
    await app.get(HostStatusRepository).record(statusRecord({ hostId: hostB, hostName: 'kvm-b', zoneId: 'zone-b', phase: 'enabled' }));
    const fresh = await events.next((e) => e.type === 'snapshot', 5_000);
    expect((fresh.data as DashboardSnapshot).hosts.find((h) => h.hostId === hostB)?.phase).toBe('enabled');
  });

  it('app shutdown ends open streams instead of waiting for the dashboards to leave', async () => {
    const events = await openEvents({ authorization: `Bearer ${TOKEN}` });
    await events.next((e) => e.type === 'snapshot');
    const closing = app.close().then(() => 'closed');
    closed = true;
    const timeout = new Promise((resolve) => setTimeout(() => resolve('still open'), 5_000).unref());
    expect(await Promise.race([closing, timeout])).toBe('closed');
    await expect(events.next(() => true, 2_000)).rejects.toThrow(/SSE stream ended/);
  });
});
