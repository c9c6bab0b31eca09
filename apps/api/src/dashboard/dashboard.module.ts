import { Module, type DynamicModule, type ModuleMetadata } from '@nestjs/common';
import { API_TOKEN } from '../auth/api-token.guard';
import { HostSpecService, TopologyCache } from '@hostnet/host-spec';
import { HostStatusRepository } from '../hosts/host-status.repository';
import { RelabelHostDiffService } from '../relabels/relabel-host-diff.service';
import { RelabelRolloutStore } from '../relabels/relabel-rollout.store';
import { RELABEL_STORE } from '../relabels/relabel-runner.service';
import { DashboardActionsController } from './dashboard-actions.controller';
import { DashboardAuthGuard } from './dashboard-auth.guard';
import { DashboardCsrf } from './dashboard-csrf';
import { DashboardEventsService } from './dashboard-events.service';
import { DashboardRelabelDiffController, RelabelDiffsUnavailableError } from './dashboard-relabel-diff.controller';
import { DASHBOARD_CSRF, DASHBOARD_OPTIONS, RELABEL_HOST_DIFFS, RELABEL_ROLLOUT_READER, type DashboardOptions, type RelabelHostDiffReader } from './dashboard.tokens';
import { DashboardController } from './dashboard.controller';
import { HostStatusCache } from './host-status.cache';
import { RecordedResultsSource } from './recorded-results.source';
import { RelabelRolloutsSource } from './relabel-rollouts.source';
import { relabelStoreProvider } from '../relabels/relabel-store.provider';

/** Often enough that a phase change reaches an open page within about a second. */
const DEFAULT_REFRESH_MS = 1_000;

/**
 * GET /dashboard (page with the relabel rollouts, read-only), /dashboard/events (SSE), /dashboard/hosts/:id (drawer),
 * /dashboard/relabels/:id/hosts/:host/diff (a rollout host's relabel diff) and POST /dashboard/hosts/:id/:action.
 * `imports` must make HostStatusRepository, STATUS_REDIS, STATUS_PREFIX, API_TOKEN, BULLMQ_CONNECTION,
 * HostJobEventsSource (api's one reader of the host-network queue's events) and HostTriggerService resolvable;
 * relabel diffs also need TopologyCache and HostSpecService (global from SpecSourceModule in the api; without
 * them the diff route answers 503). The module reads the results queue's events only while a dashboard is open.
 */
@Module({})
export class DashboardModule {
  static register(deps: Pick<ModuleMetadata, 'imports' | 'providers'> & Partial<DashboardOptions> = {}): DynamicModule {
    const options: DashboardOptions = { refreshMs: deps.refreshMs ?? DEFAULT_REFRESH_MS };
    return {
      module: DashboardModule,
      imports: deps.imports ?? [],
      controllers: [DashboardController, DashboardActionsController, DashboardRelabelDiffController],
      providers: [
        { provide: DASHBOARD_OPTIONS, useValue: options },
        { provide: DASHBOARD_CSRF, useFactory: (token: string) => new DashboardCsrf(token), inject: [API_TOKEN] },
        DashboardAuthGuard,
        HostStatusCache,
        RecordedResultsSource,
        relabelStoreProvider,
        { provide: RELABEL_ROLLOUT_READER, useExisting: RELABEL_STORE },
        {
          // The API route's service itself (its own instance: RelabelsModule keeps its providers to itself).
          provide: RELABEL_HOST_DIFFS,
          inject: [RELABEL_STORE, HostStatusRepository, { token: TopologyCache, optional: true }, { token: HostSpecService, optional: true }],
          useFactory: (store: RelabelRolloutStore, statuses: HostStatusRepository, topologies?: TopologyCache, specs?: HostSpecService): RelabelHostDiffReader =>
            topologies && specs
              ? new RelabelHostDiffService(store, topologies, specs, statuses)
              : { diff: () => Promise.reject(new RelabelDiffsUnavailableError('relabel diffs are not served by this api (no CloudStack topology here); use GET /relabels/:id/hosts/:host/diff where it runs')) },
        },
        RelabelRolloutsSource,
        DashboardEventsService,
        ...(deps.providers ?? []),
      ],
    };
  }
}
