import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { installHttpSecurity } from '../../../apps/api/src/security/http-security';
import { HostTriggerService } from '../../../apps/api/src/triggers/host-trigger.service';
import { WEBHOOK_SECRET } from '../../../apps/api/src/webhooks/webhook-secret.token';
import { webhookSignature } from '../../../apps/api/src/webhooks/webhook-signature';
import { WebhooksModule } from '../../../apps/api/src/webhooks/webhooks.module';
import { baseUrl, depsModule, dropPrefix, jsonOf, RecordingHostTrigger, uniquePrefix } from './api-extras.fixtures';

const SECRET = 'webhook-secret-for-tests-0123456789';
const HOST = 'd9960e4d-5da9-47be-af88-5cd19473b844';

async function startApp(prefix: string, secret: string | undefined, trigger: RecordingHostTrigger) {
  const deps = depsModule(prefix, [
    { provide: WEBHOOK_SECRET, useValue: secret },
    { provide: HostTriggerService, useValue: trigger },
  ]);
  const app = await NestFactory.create(WebhooksModule.register({ imports: [deps] }), { rawBody: true, logger: false });
  // as in api: the security middleware (headers, JSON-only bodies) runs before the webhook's own parser
  installHttpSecurity(app);
  await app.listen(0, '127.0.0.1');
  return app;
}

describe('POST /webhooks/cloudstack (real Redis, real HTTP)', () => {
  const prefix = uniquePrefix('webhooks');
  const trigger = new RecordingHostTrigger();
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    app = await startApp(prefix, SECRET, trigger);
    url = `${baseUrl(app.getHttpServer())}/webhooks/cloudstack`;
  });
  afterAll(async () => {
    await app?.close();
    await dropPrefix(prefix);
  });
  beforeEach(() => {
    trigger.calls.length = 0;
    trigger.failWith = undefined;
  });

  /** Posts exactly these bytes, signed as CloudStack does unless a signature is given. */
  function deliver(body: string, opts: { eventId?: string; signature?: string; contentType?: string } = {}) {
    const headers: Record<string, string> = {
      'content-type': opts.contentType ?? 'application/json',
      'x-cs-event-id': opts.eventId ?? randomUUID(),
      'x-cs-signature': opts.signature ?? webhookSignature(SECRET, Buffer.from(body, 'utf8')),
      'user-agent': 'CS-Hookshot/test',
    };
    return fetch(url, { method: 'POST', headers, body });
  }
  /** CloudStack's event map, as it writes it: its own time (`yyyy-MM-dd HH:mm:ss Z`), a distinct event each call. */
  const csTime = (ms: number) => `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} +0000`;
  const eventBody = (event: string, extra: Record<string, string> = {}) =>
    JSON.stringify({
      event, status: 'Completed', entity: 'Host', entityuuid: HOST, description: `x ${randomUUID()}`, eventDateTime: csTime(Date.now()), ...extra,
    });

  it('HOST.RECONNECT triggers an apply job for the host and answers 200 (not 201)', async () => {
    const eventId = randomUUID();
    const res = await deliver(eventBody('HOST.RECONNECT'), { eventId });
    expect(res.status).toBe(200);
    expect(await jsonOf(res)).toEqual({
      accepted: true, action: 'configure', event: 'HOST.RECONNECT', hostId: HOST, jobId: `host-${HOST}`, enqueued: true,
    });
    expect(trigger.calls).toEqual([
      { hostId: HOST, options: { mode: 'apply', force: false, trigger: { kind: 'webhook', by: eventId, detail: 'HOST.RECONNECT' }, respectHolds: true } },
    ]);
  });

  it('verifies over the exact raw bytes: whitespace and key order CloudStack chose are kept', async () => {
    const body = `{ "status":"Completed",\n  "event":"MAINT.CANCEL", "entity":"Host", "entityuuid":"${HOST}", "eventDateTime": "${csTime(Date.now())}" }`;
    const res = await deliver(body);
    expect(res.status).toBe(200);
    expect(trigger.calls).toHaveLength(1);
  });

  it('checks the signature of a text/plain delivery too', async () => {
    const body = eventBody('MAINT.CANCEL');
    expect((await deliver(body, { contentType: 'text/plain' })).status).toBe(200);
    expect(trigger.calls).toHaveLength(1);
    const forged = await deliver(body, { contentType: 'text/plain', signature: webhookSignature('wrong', Buffer.from(body)) });
    expect(forged.status).toBe(401);
  });

  it('a repeated X-CS-Event-ID answers 200 {duplicate: true} and does nothing', async () => {
    const eventId = randomUUID();
    expect((await deliver(eventBody('MAINT.CANCEL'), { eventId })).status).toBe(200);
    const again = await deliver(eventBody('MAINT.CANCEL'), { eventId });
    expect(again.status).toBe(200);
    expect(await jsonOf(again)).toEqual({ duplicate: true });
    expect(trigger.calls).toHaveLength(1);
  });

  it('a signed body replayed under a fresh X-CS-Event-ID is answered 200 and ignored', async () => {
    const body = eventBody('HOST.RECONNECT');
    expect((await deliver(body)).status).toBe(200);
    const replay = await deliver(body, { eventId: randomUUID() });
    expect(replay.status).toBe(200);
    expect((await jsonOf(replay)).ignored).toMatch(/this exact body was already accepted/);
    expect(trigger.calls).toHaveLength(1);
  });

  it('an event older than the window by its eventDateTime is answered 200 and ignored', async () => {
    const old = eventBody('HOST.RECONNECT', { eventDateTime: csTime(Date.now() - 16 * 60_000) });
    const res = await deliver(old);
    expect(res.status).toBe(200);
    expect((await jsonOf(res)).ignored).toMatch(/the event is 9\d\d s old, over WEBHOOK_MAX_AGE_SECONDS \(900\)/);
    expect(trigger.calls).toEqual([]);
  });

  it('an event without a usable eventDateTime cannot be aged and is ignored', async () => {
    const res = await deliver(eventBody('HOST.RECONNECT', { eventDateTime: 'last tuesday' }));
    expect(res.status).toBe(200);
    expect((await jsonOf(res)).ignored).toMatch(/no eventDateTime/);
    expect(trigger.calls).toEqual([]);
  });

  it('refuses a bad or missing signature with 401 and acts on nothing', async () => {
    const body = eventBody('HOST.RECONNECT');
    const tampered = await deliver(body.replace('x ', 'y '), { signature: webhookSignature(SECRET, Buffer.from(body)) });
    expect(tampered.status).toBe(401);
    expect((await jsonOf(tampered)).message).toMatch(/^X-CS-Signature does not match the body/);
    const unsigned = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-cs-event-id': randomUUID() }, body });
    expect(unsigned.status).toBe(401);
    expect((await jsonOf(unsigned)).message).toMatch(/^X-CS-Signature is missing: .*set the webhook's secret key to WEBHOOK_SECRET$/);
    expect(trigger.calls).toEqual([]);
  });

  it('refuses an event id that is not uuid-like with 400', async () => {
    const res = await deliver(eventBody('HOST.RECONNECT'), { eventId: 'a:b:c' });
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).message).toMatch(/X-CS-Event-ID/);
    expect(trigger.calls).toEqual([]);
  });

  it('MAINT.PREPARE is acknowledged without configuring anything', async () => {
    const res = await deliver(eventBody('MAINT.PREPARE'));
    expect(res.status).toBe(200);
    expect(await jsonOf(res)).toMatchObject({ accepted: true, action: 'none', event: 'MAINT.PREPARE', hostId: HOST });
    expect(trigger.calls).toEqual([]);
  });

  it.each([
    ['another event type', eventBody('VM.CREATE')],
    ['a non-Completed status', eventBody('HOST.RECONNECT', { status: 'Started' })],
    ['an entityuuid that is not a UUID', eventBody('HOST.RECONNECT', { entityuuid: '$(reboot)' })],
    ['a body that is not JSON', 'not json at all'],
  ])('answers 200 {ignored} for %s', async (_name, body) => {
    const res = await deliver(body, { contentType: body.startsWith('{') ? 'application/json' : 'text/plain' });
    expect(res.status).toBe(200);
    expect(typeof (await jsonOf(res)).ignored).toBe('string');
    expect(trigger.calls).toEqual([]);
  });

  it('a host CloudStack does not know as KVM is ignored with the reason (a retry could not help)', async () => {
    const other = randomUUID();
    trigger.missing.add(other);
    const res = await deliver(eventBody('HOST.RECONNECT', { entityuuid: other }));
    expect(res.status).toBe(200);
    expect((await jsonOf(res)).ignored).toMatch(/no KVM host/);
  });

  it('a host CloudStack does not know at all is a 404 naming it, every time CloudStack retries', async () => {
    const stranger = randomUUID();
    trigger.unknown.add(stranger);
    const eventId = randomUUID();
    for (let delivery = 1; delivery <= 2; delivery++) {
      const res = await deliver(eventBody('HOST.RECONNECT', { entityuuid: stranger }), { eventId });
      expect(res.status).toBe(404);
      expect((await jsonOf(res)).message).toBe(`HOST.RECONNECT names host ${stranger}: CloudStack has no host with id ${stranger}`);
    }
  });

  it('an unexpected failure is a 500, so CloudStack records the delivery as failed', async () => {
    trigger.failWith = new Error('redis down');
    const res = await deliver(eventBody('HOST.RECONNECT'));
    expect(res.status).toBe(500);
  });

  it("acts on CloudStack's retry of a delivery that failed, instead of calling it a duplicate", async () => {
    const eventId = randomUUID();
    const body = eventBody('HOST.RECONNECT');
    trigger.failWith = new Error('cloudstack down');
    expect((await deliver(body, { eventId })).status).toBe(500);
    trigger.failWith = undefined;
    const retry = await deliver(body, { eventId });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ accepted: true, action: 'configure' });
    expect((await (await deliver(body, { eventId })).json())).toEqual({ duplicate: true });
  });
});

describe('POST /webhooks/cloudstack without WEBHOOK_SECRET', () => {
  const prefix = uniquePrefix('webhooks-nosecret');
  let app: INestApplication;
  afterAll(async () => {
    await app?.close();
    await dropPrefix(prefix);
  });

  it('answers 503 naming WEBHOOK_SECRET', async () => {
    app = await startApp(prefix, undefined, new RecordingHostTrigger());
    const res = await fetch(`${baseUrl(app.getHttpServer())}/webhooks/cloudstack`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-cs-event-id': randomUUID(), 'x-cs-signature': 'AAAA' },
      body: '{}',
    });
    expect(res.status).toBe(503);
    expect((await jsonOf(res)).message).toMatch(/WEBHOOK_SECRET is unset/);
  });
});

describe('POST /webhooks/cloudstack in an app created without rawBody', () => {
  const prefix = uniquePrefix('webhooks-noraw');
  let app: INestApplication;
  afterAll(async () => {
    await app?.close();
    await dropPrefix(prefix);
  });

  it('says how to fix the app instead of refusing every genuine delivery as forged', async () => {
    const deps = depsModule(prefix, [
      { provide: WEBHOOK_SECRET, useValue: SECRET },
      { provide: HostTriggerService, useValue: new RecordingHostTrigger() },
    ]);
    app = await NestFactory.create(WebhooksModule.register({ imports: [deps] }), { logger: false });
    await app.listen(0, '127.0.0.1');
    const body = JSON.stringify({ event: 'HOST.RECONNECT', status: 'Completed', entity: 'Host', entityuuid: HOST });
    const res = await fetch(`${baseUrl(app.getHttpServer())}/webhooks/cloudstack`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-cs-event-id': randomUUID(), 'x-cs-signature': webhookSignature(SECRET, Buffer.from(body)) },
      body,
    });
    expect(res.status).toBe(500);
    expect((await jsonOf(res)).message).toMatch(/rawBody: true/);
  });
});
