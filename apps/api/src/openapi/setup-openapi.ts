import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/** Name of the bearer scheme; controllers refer to it with `@ApiBearerAuth()` (its default name). */
export const OPENAPI_BEARER = 'bearer';

/**
 * Serves the OpenAPI description at /docs (Swagger UI, assets served locally from swagger-ui-dist)
 * and /docs-json. Call after the app's modules are created and before `app.listen()`.
 */
export function setupOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('hostnet')
    .setDescription(
      'Makes KVM hosts\' networking match what an Apache CloudStack zone expects. Every route except ' +
        'POST /webhooks/cloudstack (signed with X-CS-Signature) needs `Authorization: Bearer <API_TOKEN>`.',
    )
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'the API_TOKEN' }, OPENAPI_BEARER)
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', customSiteTitle: 'hostnet API' });
  return document;
}
