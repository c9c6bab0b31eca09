import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { tokenAuthMiddleware } from '../bull-board/token-auth.middleware';

/** Name of the bearer scheme; controllers refer to it with `@ApiBearerAuth()` (its default name). */
export const OPENAPI_BEARER = 'bearer';

/** Every path Swagger serves: the UI and its assets, and the description as JSON and YAML. */
export const OPENAPI_PATHS = ['/docs', '/docs-json', '/docs-yaml'];

/**
 * Serves the OpenAPI description at /docs (Swagger UI, assets served locally from swagger-ui-dist)
 * and /docs-json, behind the API token like every other route (Bearer header, or a `?token=` first
 * load in a browser, which sets the HttpOnly cookie). Call after the app's modules are created and
 * before `app.listen()`.
 */
export function setupOpenApi(app: INestApplication, apiToken: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('hostnet')
    .setDescription(
      'Makes KVM hosts\' networking match what an Apache CloudStack zone expects. Every route except ' +
        'POST /webhooks/cloudstack (signed with X-CS-Signature) and GET /health needs `Authorization: Bearer <API_TOKEN>`, this description included.',
    )
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'the API_TOKEN' }, OPENAPI_BEARER)
    .build();
  const document = SwaggerModule.createDocument(app, config);
  app.use(OPENAPI_PATHS, tokenAuthMiddleware(apiToken));
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', customSiteTitle: 'hostnet API' });
  return document;
}
