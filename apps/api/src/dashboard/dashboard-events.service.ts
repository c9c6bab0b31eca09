import { Inject, Injectable, Logger, type MessageEvent, type OnModuleDestroy } from '@nestjs/common';
import { catchError, defer, distinctUntilChanged, EMPTY, exhaustMap, from, map, merge, Subject, takeUntil, timer, type Observable } from 'rxjs';
import { HostStatusRepository } from '../hosts/host-status.repository';
import { DASHBOARD_OPTIONS, type DashboardOptions } from './dashboard.tokens';
import { HostJobEventsSource } from './host-job-events.source';
import { renderCounts, renderHostTree } from './host-tree.renderer';

/** The `snapshot` SSE event's data: raw records for programs, escaped HTML for the page. */
export interface DashboardSnapshot {
  at: string;
  hosts: Awaited<ReturnType<HostStatusRepository['all']>>;
  html: string;
  summary: string;
}

/**
 * One dashboard connection's event stream: a snapshot at once, a fresh one whenever the statuses
 * in Redis change (checked every refreshMs, so results recorded by any api replica show up), and
 * every live job event of the host-network queue as it happens.
 */
@Injectable()
export class DashboardEventsService implements OnModuleDestroy {
  private readonly logger = new Logger(DashboardEventsService.name);
  private readonly closing = new Subject<void>();

  constructor(
    private readonly statuses: HostStatusRepository,
    private readonly jobEvents: HostJobEventsSource,
    @Inject(DASHBOARD_OPTIONS) private readonly options: DashboardOptions,
  ) {}

  stream(): Observable<MessageEvent> {
    const snapshots = timer(0, this.options.refreshMs).pipe(
      exhaustMap(() => from(this.snapshot()).pipe(catchError((error: Error) => this.skipRefresh(error)))),
      // Only changes are sent; `at` always differs, so compare the records themselves.
      distinctUntilChanged((a, b) => JSON.stringify(a.hosts) === JSON.stringify(b.hosts)),
      map((data): MessageEvent => ({ type: 'snapshot', data })),
    );
    const jobs = this.jobEvents.events.pipe(map((event): MessageEvent => ({ type: event.state, data: event })));
    return defer(() => merge(snapshots, jobs)).pipe(takeUntil(this.closing));
  }

  /** Ends every open stream, so the HTTP server can close instead of waiting on dashboards. */
  onModuleDestroy(): void {
    this.closing.next();
    this.closing.complete();
  }

  /** A Redis blip skips one refresh instead of ending every open dashboard's stream. */
  private skipRefresh(error: Error): Observable<never> {
    this.logger.warn(`dashboard refresh skipped: ${error.message}`);
    return EMPTY;
  }

  async snapshot(): Promise<DashboardSnapshot> {
    const hosts = await this.statuses.all();
    return { at: new Date().toISOString(), hosts, html: renderHostTree(hosts), summary: renderCounts(hosts) };
  }
}
