import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule } from '@hostnet/platform';
import { AddHostCompletionService } from './add-host/add-host-completion.service';
import { AddHostCredentialsStore } from './add-host/add-host-credentials.store';
import { AddHostController } from './add-host/add-host.controller';
import { AddHostService } from './add-host/add-host.service';
import type { ApiConfig } from './api-config';
import { ApiCoreModule } from './api-core.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { HealthController } from './health/health.controller';
import { HostsController } from './hosts/hosts.controller';
import { HostEnableService } from './jobs/host-enable.service';
import { HostResultsProcessor } from './jobs/host-results.processor';
import { HostResultsService } from './jobs/host-results.service';
import { HostPollerService } from './poller/host-poller.service';
import { RelabelsModule } from './relabels/relabels.module';
import { RunStartRecorder } from './runs/run-start.recorder';
import { WebhooksModule } from './webhooks/webhooks.module';

/** api: triggers (poller, REST, webhooks), durable results and host enabling, status, dashboard. */
@Module({})
export class ApiModule {
  static forRoot(config: ApiConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [PlatformModule.forRoot(config), ApiCoreModule.forRoot(config), WebhooksModule.register(), DashboardModule.register(), RelabelsModule.register()],
      controllers: [AddHostController, HostsController, HealthController],
      providers: [
        HostPollerService,
        HostEnableService,
        HostResultsService,
        HostResultsProcessor,
        RunStartRecorder,
        AddHostService,
        AddHostCredentialsStore,
        AddHostCompletionService,
      ],
    };
  }
}
