import { Module, RequestMethod, type DynamicModule, type MiddlewareConsumer, type ModuleMetadata, type NestModule } from '@nestjs/common';
import { raw } from 'express';
import { CloudStackWebhookController } from './cloudstack-webhook.controller';
import { CloudStackWebhookService } from './cloudstack-webhook.service';
import { CLOUDSTACK_WEBHOOK_PATH } from './webhook-route';

/** Largest delivery accepted; CloudStack event maps are a few hundred bytes. */
const MAX_BODY = '256kb';

/**
 * The CloudStack webhook receiver. `imports` must make HostStatusRepository, HostTriggerService and
 * the WEBHOOK_SECRET token resolvable (export them from those modules, or from a @Global one).
 * The app must be created with `{ rawBody: true }` so JSON deliveries keep their exact bytes.
 */
@Module({})
export class WebhooksModule implements NestModule {
  static register(deps: Pick<ModuleMetadata, 'imports' | 'providers'> = {}): DynamicModule {
    return {
      module: WebhooksModule,
      imports: deps.imports ?? [],
      controllers: [CloudStackWebhookController],
      providers: [CloudStackWebhookService, ...(deps.providers ?? [])],
    };
  }

  /** Non-JSON deliveries (CloudStack sends text/plain for them) still need their bytes for the signature. */
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(raw({ type: () => true, limit: MAX_BODY }))
      .forRoutes({ path: CLOUDSTACK_WEBHOOK_PATH, method: RequestMethod.POST });
  }
}
