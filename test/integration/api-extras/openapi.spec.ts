import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { API_TOKEN } from '../../../apps/api/src/auth/api-token.guard';
import { DashboardModule } from '../../../apps/api/src/dashboard/dashboard.module';
import { BULLMQ_CONNECTION } from '../../../apps/api/src/dashboard/dashboard.tokens';
import { HostJobEventsSource } from '../../../apps/api/src/jobs/host-job-events.source';
import { setupOpenApi } from '../../../apps/api/src/openapi/setup-openapi';
import { HostTriggerService } from '../../../apps/api/src/triggers/host-trigger.service';
import { WEBHOOK_SECRET } from '../../../apps/api/src/webhooks/webhook-secret.token';
import { WebhooksModule } from '../../../apps/api/src/webhooks/webhooks.module';
import { baseUrl, depsModule, dropPrefix, jsonOf, RecordingHostTrigger, REDIS_URL, TOKEN, uniquePrefix } from './api-extras.fixtures';

describe('OpenAPI at /docs and /docs-json', () => {
  const prefix = uniquePrefix('openapi');
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    const deps = depsModule(prefix, [
      { provide: API_TOKEN, useValue: TOKEN },
      { provide: WEBHOOK_SECRET, useValue: 'secret' },
      { provide: HostTriggerService, useValue: new RecordingHostTrigger() },
      { provide: BULLMQ_CONNECTION, useValue: { connection: { url: REDIS_URL }, prefix } },
      HostJobEventsSource,
    ]);
    const root = { module: class OpenApiTestModule {}, imports: [WebhooksModule.register({ imports: [deps] }), DashboardModule.register({ imports: [deps] })] };
    app = await NestFactory.create(root, { rawBody: true, logger: false });
    setupOpenApi(app, TOKEN);
    await app.listen(0, '127.0.0.1');
    url = baseUrl(app.getHttpServer());
  });
  afterAll(async () => {
    await app?.close();
    await dropPrefix(prefix);
  });

  const auth = { headers: { authorization: `Bearer ${TOKEN}` } };

  it.each(['/docs', '/docs/', '/docs-json', '/docs-yaml', '/docs/swagger-ui-init.js'])('refuses %s without the API token', async (path) => {
    const res = await fetch(`${url}${path}`, { redirect: 'manual' });
    expect(res.status).toBe(401);
    expect(await res.text()).not.toMatch(/swagger|openapi/i);
  });

  it('a browser\'s ?token= first load sets the cookie and sends it on without the token in the URL', async () => {
    const first = await fetch(`${url}/docs?token=${TOKEN}`, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/docs');
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    expect((await fetch(`${url}/docs-json`, { headers: { cookie } })).status).toBe(200);
  });

  it('describes the webhook and dashboard routes, with bearer auth declared', async () => {
    const res = await fetch(`${url}/docs-json`, auth);
    expect(res.status).toBe(200);
    const doc = (await jsonOf(res)) as {
      paths: Record<string, Record<string, { security?: unknown[]; parameters?: { name: string }[] }>>;
      components: { securitySchemes: Record<string, { type: string; scheme: string }> };
    };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/webhooks/cloudstack', '/dashboard', '/dashboard/events']));
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.paths['/dashboard']!.get!.security).toEqual([{ bearer: [] }]);
    const webhook = doc.paths['/webhooks/cloudstack']!.post!;
    expect(webhook.security).toBeUndefined();
    expect(webhook.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(['X-CS-Signature', 'X-CS-Event-ID']));
  });

  it('serves Swagger UI without any external asset', async () => {
    const res = await fetch(`${url}/docs`, auth);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/swagger/i);
    expect(html).not.toMatch(/(src|href)="https?:/);
  });
});
