import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CloudStackClient } from '@hostnet/cloudstack';
import type { ProfileSet } from '@hostnet/intent';
import { HOSTNET_CONFIG, PlatformModule, SpecSourceModule } from '@hostnet/platform';
import { AddHostCompletionService } from './add-host/add-host-completion.service';
import { AddHostCredentialsStore } from './add-host/add-host-credentials.store';
import { AddHostController } from './add-host/add-host.controller';
import { AddHostService } from './add-host/add-host.service';
import type { ApiConfig } from './api-config';
import { ApiCoreModule } from './api-core.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { DriftCheckerService } from './drift/drift-checker.service';
import { HealthController } from './health/health.controller';
import { HostnetErrorFilter } from './http-errors/hostnet-error.filter';
import { HostsController } from './hosts/hosts.controller';
import { HostEnableService } from './jobs/host-enable.service';
import { HostResultsProcessor } from './jobs/host-results.processor';
import { HostResultsService } from './jobs/host-results.service';
import { ResultSpecCheck } from './jobs/result-spec.check';
import { MetricsController } from './metrics/metrics.controller';
import { RunMetrics } from './metrics/run-metrics';
import { StateGauges } from './metrics/state-gauges';
import { EnabledByCloudStackRecorder } from './poller/enabled-by-cloudstack.recorder';
import { HostPollerService } from './poller/host-poller.service';
import { LostRunFinder } from './poller/lost-runs';
import { WatchedZones } from './poller/watched-zones';
import { ProfilesController } from './profiles/profiles.controller';
import { HostResolveRequester } from './resolve/host-resolve.requester';
import { ResolveController } from './resolve/resolve.controller';
import { ResolveResultsService } from './resolve/resolve-results.service';
import { ResolveAnswerStore } from './resolve/resolve-answer.store';
import { RelabelsModule } from './relabels/relabels.module';
import { RunStartRecorder } from './runs/run-start.recorder';
import { WebhooksModule } from './webhooks/webhooks.module';

/** api: triggers (poller, REST, webhooks), durable results and host enabling, status, dashboard, metrics. */
@Module({})
export class ApiModule {
  static forRoot(config: ApiConfig, profiles?: ProfileSet): DynamicModule {
    return {
      module: ApiModule,
      imports: [PlatformModule.forRoot(config, 'api'), SpecSourceModule.forRoot(config, profiles), ApiCoreModule.forRoot(config), WebhooksModule.register(), DashboardModule.register(), RelabelsModule.register()],
      controllers: [AddHostController, HostsController, ResolveController, ProfilesController, HealthController, MetricsController],
      providers: [
        { provide: APP_FILTER, useClass: HostnetErrorFilter },
        HostPollerService,
        EnabledByCloudStackRecorder,
        LostRunFinder,
        {
          provide: WatchedZones,
          inject: [HOSTNET_CONFIG, CloudStackClient],
          useFactory: (c: ApiConfig, cloudstack: CloudStackClient) => new WatchedZones(c, cloudstack),
        },
        DriftCheckerService,
        HostEnableService,
        HostResultsService,
        ResultSpecCheck,
        HostResultsProcessor,
        HostResolveRequester,
        ResolveResultsService,
        ResolveAnswerStore,
        RunStartRecorder,
        AddHostService,
        AddHostCredentialsStore,
        AddHostCompletionService,
        RunMetrics,
        StateGauges,
      ],
    };
  }
}
