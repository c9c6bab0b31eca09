import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue } from 'bullmq';
import { QueueName } from '@hostnet/contracts';
import { mountBullBoard } from '../../../apps/api/src/bull-board/mount-bull-board';
import { baseUrl, dropPrefix, jsonOf, REDIS_URL, TOKEN, uniquePrefix } from './api-extras.fixtures';

@Module({})
class EmptyModule {}

describe('Bull Board at /admin/queues (real Redis, real BullMQ queues)', () => {
  const prefix = uniquePrefix('bull-board');
  let app: INestApplication;
  let url: string;
  let queues: Queue[];

  beforeAll(async () => {
    queues = [QueueName.HostNetwork, QueueName.HostResults].map((name) => new Queue(name, { connection: { url: REDIS_URL }, prefix }));
    app = await NestFactory.create(EmptyModule, { logger: false });
    mountBullBoard(app, queues, TOKEN);
    await app.listen(0, '127.0.0.1');
    url = baseUrl(app.getHttpServer());
  });
  afterAll(async () => {
    await app?.close();
    await Promise.all((queues ?? []).map((q) => q.close()));
    await dropPrefix(prefix);
  });

  it('answers 401 without the token or with a wrong one', async () => {
    expect((await fetch(`${url}/admin/queues`)).status).toBe(401);
    expect((await fetch(`${url}/admin/queues/api/queues`)).status).toBe(401);
    expect((await fetch(`${url}/admin/queues`, { headers: { authorization: 'Bearer nope-nope-nope-nope' } })).status).toBe(401);
    expect((await fetch(`${url}/admin/queues`, { headers: { cookie: 'hostnet_token=nope' } })).status).toBe(401);
    expect((await fetch(`${url}/admin/queues`, { headers: { cookie: 'hostnet_token=%E0%A4%A' } })).status).toBe(401);
  });

  it('serves the board with the Bearer token', async () => {
    const res = await fetch(`${url}/admin/queues`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('serves a page that loads nothing from another origin (its Google Fonts link broke the CSP on every load)', async () => {
    const page = await (await fetch(`${url}/admin/queues`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    expect(page).toMatch(/static\/js\/main\.[0-9a-f]+\.js/);
    expect(page).not.toMatch(/(?:href|src)="(?:https?:)?\/\//i);
    expect(page).not.toContain('googleapis');
  });

  it('lists both queues in its JSON API', async () => {
    const res = await fetch(`${url}/admin/queues/api/queues`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    const body = (await jsonOf(res)) as { queues: { name: string }[] };
    expect(body.queues.map((q) => q.name).sort()).toEqual([QueueName.HostNetwork, QueueName.HostResults].sort());
  });

  it('a ?token= first load sets the HttpOnly cookie, and the board assets then load with it alone', async () => {
    const first = await fetch(`${url}/admin/queues?token=${TOKEN}`, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/admin/queues');
    const setCookie = first.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    const cookie = setCookie.split(';')[0]!;

    const page = await fetch(`${url}/admin/queues`, { headers: { cookie } });
    expect(page.status).toBe(200);
    const asset = /(?:src|href)="([^"]*static[^"]+\.js)"/.exec(await page.text())?.[1];
    expect(asset).toBeDefined();
    const assetUrl = new URL(asset!, `${url}/admin/queues/`).toString();
    expect((await fetch(assetUrl)).status).toBe(401);
    expect((await fetch(assetUrl, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(`${url}/admin/queues/api/queues`, { headers: { cookie } })).status).toBe(200);
  });
});
