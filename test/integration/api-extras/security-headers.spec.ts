import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { API_TOKEN } from '../../../apps/api/src/auth/api-token.guard';
import { DashboardModule } from '../../../apps/api/src/dashboard/dashboard.module';
import { BULLMQ_CONNECTION } from '../../../apps/api/src/dashboard/dashboard.tokens';
import { HostJobEventsSource } from '../../../apps/api/src/jobs/host-job-events.source';
import { setupOpenApi } from '../../../apps/api/src/openapi/setup-openapi';
import { installHttpSecurity } from '../../../apps/api/src/security/http-security';
import { API_CSP, UI_CSP } from '../../../apps/api/src/security/security-headers';
import { HostTriggerService } from '../../../apps/api/src/triggers/host-trigger.service';
import { WEBHOOK_SECRET } from '../../../apps/api/src/webhooks/webhook-secret.token';
import { WebhooksModule } from '../../../apps/api/src/webhooks/webhooks.module';
import { baseUrl, depsModule, dropPrefix, RecordingHostTrigger, REDIS_URL, TOKEN, uniquePrefix } from './api-extras.fixtures';

describe('security headers on every route', () => {
  const prefix = uniquePrefix('security');
  let app: INestApplication;
  let url: string;
  const auth = { authorization: `Bearer ${TOKEN}` };

  beforeAll(async () => {
    const deps = depsModule(prefix, [
      { provide: API_TOKEN, useValue: TOKEN },
      { provide: WEBHOOK_SECRET, useValue: 'w'.repeat(32) },
      { provide: HostTriggerService, useValue: new RecordingHostTrigger() },
      { provide: BULLMQ_CONNECTION, useValue: { connection: { url: REDIS_URL }, prefix } },
      HostJobEventsSource,
    ]);
    const root = { module: class SecurityTestModule {}, imports: [WebhooksModule.register({ imports: [deps] }), DashboardModule.register({ imports: [deps] })] };
    app = await NestFactory.create(root, { rawBody: true, logger: false });
    installHttpSecurity(app);
    setupOpenApi(app, TOKEN);
    await app.listen(0, '127.0.0.1');
    url = baseUrl(app.getHttpServer());
  });
  afterAll(async () => {
    await app?.close();
    await dropPrefix(prefix);
  });

  function expectHardened(res: Response): void {
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
  }

  it.each([
    ['an unknown route (404)', 'GET', '/no-such-route', {}],
    ['an unauthenticated call (401)', 'GET', '/dashboard', {}],
    ['a refused webhook (401)', 'POST', '/webhooks/cloudstack', { 'content-type': 'application/json' }],
    ['the OpenAPI description', 'GET', '/docs-json', auth],
  ])('%s carries them, with the locked-down API policy where nothing renders', async (_what, method, path, headers) => {
    const res = await fetch(`${url}${path}`, { method, headers, ...(method === 'POST' ? { body: '{}' } : {}) });
    expectHardened(res);
    if (path !== '/docs-json') expect(res.headers.get('content-security-policy')).toBe(API_CSP);
  });

  it('Swagger UI gets a policy that allows only its own served scripts and styles', async () => {
    const res = await fetch(`${url}/docs`, { headers: auth });
    expect(res.status).toBe(200);
    expectHardened(res);
    expect(res.headers.get('content-security-policy')).toBe(UI_CSP);
    expect(UI_CSP).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(UI_CSP).not.toMatch(/https?:/);
  });

  it('the dashboard keeps its own nonce policy over the default one', async () => {
    const res = await fetch(`${url}/dashboard`, { headers: auth });
    expect(res.status).toBe(200);
    expectHardened(res);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'nonce-/);
  });
});
