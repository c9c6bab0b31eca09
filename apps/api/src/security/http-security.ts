import type { INestApplication } from '@nestjs/common';
import type { Express } from 'express';
import { CLOUDSTACK_WEBHOOK_PATH } from '../webhooks/webhook-route';
import { jsonBodiesOnly } from './json-bodies-only';
import { jsonBodyParser } from './json-body-parser';
import { securityHeaders } from './security-headers';

/**
 * Security headers on every route, no `X-Powered-By`, and JSON request bodies only, parsed by api's own
 * parser (json-body-parser.ts). Must run first in
 * setupHttp: express routes registered before it (Swagger UI, Bull Board) would otherwise answer
 * without the headers.
 */
export function installHttpSecurity(app: INestApplication): void {
  (app.getHttpAdapter().getInstance() as Express).disable('x-powered-by');
  app.use(securityHeaders());
  app.use(jsonBodiesOnly([CLOUDSTACK_WEBHOOK_PATH]));
  app.use(jsonBodyParser());
}
