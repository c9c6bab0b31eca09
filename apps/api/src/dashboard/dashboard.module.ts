import { Module, type DynamicModule, type ModuleMetadata } from '@nestjs/common';
import { DashboardEventsService } from './dashboard-events.service';
import { DASHBOARD_OPTIONS, type DashboardOptions } from './dashboard.tokens';
import { DashboardController } from './dashboard.controller';
import { HostJobEventsSource } from './host-job-events.source';

const DEFAULT_REFRESH_MS = 2_000;

/**
 * GET /dashboard and GET /dashboard/events. `imports` must make HostStatusRepository, API_TOKEN
 * and BULLMQ_CONNECTION resolvable; the module opens (and closes on shutdown) its own QueueEvents.
 */
@Module({})
export class DashboardModule {
  static register(deps: Pick<ModuleMetadata, 'imports' | 'providers'> & Partial<DashboardOptions> = {}): DynamicModule {
    const options: DashboardOptions = { refreshMs: deps.refreshMs ?? DEFAULT_REFRESH_MS };
    return {
      module: DashboardModule,
      imports: deps.imports ?? [],
      controllers: [DashboardController],
      providers: [
        { provide: DASHBOARD_OPTIONS, useValue: options },
        HostJobEventsSource,
        DashboardEventsService,
        ...(deps.providers ?? []),
      ],
    };
  }
}
