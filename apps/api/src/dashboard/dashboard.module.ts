import { Module, type DynamicModule, type ModuleMetadata } from '@nestjs/common';
import type Redis from 'ioredis';
import { API_TOKEN } from '../auth/api-token.guard';
import { STATUS_PREFIX, STATUS_REDIS } from '../hosts/host-status.repository';
import { RelabelRolloutStore } from '../relabels/relabel-rollout.store';
import { DashboardActionsController } from './dashboard-actions.controller';
import { DashboardAuthGuard } from './dashboard-auth.guard';
import { DashboardCsrf } from './dashboard-csrf';
import { DashboardEventsService } from './dashboard-events.service';
import { DASHBOARD_CSRF, DASHBOARD_OPTIONS, RELABEL_ROLLOUT_READER, type DashboardOptions, type RelabelRolloutReader } from './dashboard.tokens';
import { DashboardController } from './dashboard.controller';
import { HostJobEventsSource } from './host-job-events.source';
import { HostStatusCache } from './host-status.cache';
import { RecordedResultsSource } from './recorded-results.source';
import { RelabelRolloutsSource } from './relabel-rollouts.source';

/** Often enough that a phase change reaches an open page within about a second. */
const DEFAULT_REFRESH_MS = 1_000;

/**
 * GET /dashboard (page with the relabel rollouts, read-only), /dashboard/events (SSE), /dashboard/hosts/:id (drawer) and
 * POST /dashboard/hosts/:id/:action. `imports` must make HostStatusRepository, STATUS_REDIS,
 * STATUS_PREFIX, API_TOKEN, BULLMQ_CONNECTION and HostTriggerService resolvable; the module opens
 * (and closes on shutdown) its own QueueEvents of both queues.
 */
@Module({})
export class DashboardModule {
  static register(deps: Pick<ModuleMetadata, 'imports' | 'providers'> & Partial<DashboardOptions> = {}): DynamicModule {
    const options: DashboardOptions = { refreshMs: deps.refreshMs ?? DEFAULT_REFRESH_MS };
    return {
      module: DashboardModule,
      imports: deps.imports ?? [],
      controllers: [DashboardController, DashboardActionsController],
      providers: [
        { provide: DASHBOARD_OPTIONS, useValue: options },
        { provide: DASHBOARD_CSRF, useFactory: (token: string) => new DashboardCsrf(token), inject: [API_TOKEN] },
        DashboardAuthGuard,
        HostStatusCache,
        HostJobEventsSource,
        RecordedResultsSource,
        {
          provide: RELABEL_ROLLOUT_READER,
          inject: [STATUS_REDIS, STATUS_PREFIX],
          useFactory: (redis: Redis, prefix: string): RelabelRolloutReader => new RelabelRolloutStore(redis, prefix),
        },
        RelabelRolloutsSource,
        DashboardEventsService,
        ...(deps.providers ?? []),
      ],
    };
  }
}
