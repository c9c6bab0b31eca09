import { Inject, Injectable, Logger, type MessageEvent, type OnModuleDestroy } from '@nestjs/common';
import {
  asyncScheduler,
  catchError,
  defer,
  distinctUntilChanged,
  EMPTY,
  filter,
  finalize,
  from,
  map,
  merge,
  mergeMap,
  share,
  skip,
  Subject,
  switchMap,
  take,
  takeUntil,
  throttleTime,
  timer,
  type Observable,
  type Subscription,
} from 'rxjs';
import { DASHBOARD_OPTIONS, type DashboardOptions } from './dashboard.tokens';
import { HostJobEventsSource } from '../jobs/host-job-events.source';
import type { HostQuery } from './host-query';
import { renderHostRow, renderHostRows } from './host-rows.renderer';
import { RecordedResultsSource } from './recorded-results.source';
import { RelabelRolloutsSource } from './relabel-rollouts.source';
import { HostStatusCache } from './host-status.cache';
import { renderPager, renderPhaseCounts } from './host-summary.renderer';
import { viewHosts, type HostRow, type HostView } from './host-view';

const RECHECK_MS = 30_000;
/** Results recorded close together (a cluster's rollout) share refreshes. */
const RESULT_THROTTLE_MS = 100;

/** The `page` event: this connection's whole page of rows (≤ page size), sent once on connect. */
export interface DashboardPageEvent {
  at: string;
  order: string[];
  rows: string;
  counts: string;
  pager: string;
  matched: number;
  total: number;
}

/** The `delta` event: only rows that changed, the page's new order, and the counts when they moved. */
export interface DashboardDeltaEvent {
  at: string;
  upserts: { hostId: string; phase: string; html: string }[];
  removed: string[];
  order: string[];
  counts?: string;
  pager?: string;
  matched: number;
  total: number;
}

/**
 * One dashboard connection's event stream for its filters: a `page` at once, then a `delta` whenever
 * a row of its page changed, entered or left (statuses re-read right after each recorded result and
 * every refreshMs, so statuses written by any api replica show up), plus every live job event of
 * the host-network queue, and the relabel rollout region (`rollouts`) whenever it changed.
 */
@Injectable()
export class DashboardEventsService implements OnModuleDestroy {
  private readonly logger = new Logger(DashboardEventsService.name);
  private readonly closing = new Subject<void>();
  private connections = 0;
  private resultsWatch: Subscription | undefined;

  constructor(
    private readonly cache: HostStatusCache,
    private readonly jobEvents: HostJobEventsSource,
    private readonly results: RecordedResultsSource,
    private readonly rollouts: RelabelRolloutsSource,
    @Inject(DASHBOARD_OPTIONS) private readonly options: DashboardOptions,
  ) {}

  stream(query: HostQuery): Observable<MessageEvent> {
    return defer(() => {
      const connection = new PageTracker();
      let seen = { version: -1, at: 0 };
      const pages = this.ticks().pipe(
        switchMap((maxAgeMs) =>
          from(this.cache.current(maxAgeMs)).pipe(
            // An unchanged fleet is not re-viewed, except now and then for runs that became stuck.
            filter(() => this.cache.version !== seen.version || Date.now() - seen.at > RECHECK_MS),
            map((records) => {
              seen = { version: this.cache.version, at: Date.now() };
              return viewHosts(records.values(), query, seen.at);
            }),
            catchError((error: Error) => this.skipRefresh(error)),
          ),
        ),
        mergeMap((view) => connection.next(view)),
        share(),
      );
      const jobs = this.jobEvents.events.pipe(map((event): MessageEvent => ({ type: event.state, data: event })));
      // The rollout region follows the first page, so `page` stays the first event a connection gets.
      const rollouts = pages.pipe(take(1), switchMap(() => this.rollouts.stream(query)));
      return merge(pages, jobs, rollouts);
    }).pipe(takeUntil(this.closing));
  }

  async view(query: HostQuery): Promise<HostView> {
    const records = await this.cache.current(this.options.refreshMs / 2);
    return viewHosts(records.values(), query, Date.now());
  }

  /**
   * `changed` whenever one host's latest record moves, for its open drawer: the host may not be on
   * the page its table shows (filtered out, or on another page).
   */
  hostStream(hostId: string): Observable<MessageEvent> {
    return this.ticks().pipe(
      switchMap((maxAgeMs) => from(this.cache.current(maxAgeMs)).pipe(catchError((error: Error) => this.skipRefresh(error)))),
      map((records) => records.get(hostId)),
      map((record) => (record ? { hostId, phase: record.phase, at: record.at } : { hostId })),
      distinctUntilChanged((a, b) => JSON.stringify(a) === JSON.stringify(b)),
      skip(1),
      map((data): MessageEvent => ({ type: 'changed', data })),
      takeUntil(this.closing),
    );
  }

  /**
   * When a connection looks at the statuses, with how old the cache may be: every refreshMs (a
   * status written by anyone, re-read if older than half that), and whenever the cache changed.
   * While any dashboard is connected, each recorded result refreshes the cache at once (at most
   * every RESULT_THROTTLE_MS), as results are the usual way a phase moves.
   */
  private ticks(): Observable<number> {
    return defer(() => {
      if (this.connections++ === 0) this.watchResults();
      const periodic = timer(0, this.options.refreshMs).pipe(map(() => this.options.refreshMs / 2));
      const changed = this.cache.changes.pipe(map(() => Number.POSITIVE_INFINITY));
      return merge(periodic, changed).pipe(
        finalize(() => {
          if (--this.connections === 0) this.unwatchResults();
        }),
      );
    });
  }

  private watchResults(): void {
    this.resultsWatch = this.results.recorded
      .pipe(
        throttleTime(RESULT_THROTTLE_MS, asyncScheduler, { leading: true, trailing: true }),
        mergeMap(() => from(this.cache.refreshAfterNow()).pipe(catchError((error: Error) => this.skipRefresh(error)))),
      )
      .subscribe();
  }

  private unwatchResults(): void {
    this.resultsWatch?.unsubscribe();
    this.resultsWatch = undefined;
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
}

/** What one connection's browser shows, so each tick sends only what differs from it. */
class PageTracker {
  private sent: Map<string, string> | undefined;
  private order: string[] = [];
  private counts = '';
  private pager = '';

  next(view: HostView): MessageEvent[] {
    const at = new Date().toISOString();
    const order = view.rows.map((r) => r.record.hostId);
    const counts = renderPhaseCounts(view);
    const pager = renderPager(view);
    const fingerprints = new Map(view.rows.map((row) => [row.record.hostId, fingerprint(row)]));
    const sums = { matched: view.matched, total: view.total };
    if (!this.sent) {
      this.remember(fingerprints, order, counts, pager);
      const page: DashboardPageEvent = { at, order, rows: renderHostRows(view.rows), counts, pager, ...sums };
      return [{ type: 'page', data: page }];
    }
    const upserts = view.rows
      .filter((row) => this.sent!.get(row.record.hostId) !== fingerprints.get(row.record.hostId))
      .map((row) => ({ hostId: row.record.hostId, phase: row.record.phase, html: renderHostRow(row) }));
    const removed = this.order.filter((id) => !fingerprints.has(id));
    const moved = order.join('\n') !== this.order.join('\n');
    if (upserts.length === 0 && removed.length === 0 && !moved && counts === this.counts && pager === this.pager) return [];
    const delta: DashboardDeltaEvent = {
      at,
      upserts,
      removed,
      order,
      ...(counts !== this.counts ? { counts } : {}),
      ...(pager !== this.pager ? { pager } : {}),
      ...sums,
    };
    this.remember(fingerprints, order, counts, pager);
    return [{ type: 'delta', data: delta }];
  }

  private remember(sent: Map<string, string>, order: string[], counts: string, pager: string): void {
    this.sent = sent;
    this.order = order;
    this.counts = counts;
    this.pager = pager;
  }
}

function fingerprint({ record, attention }: HostRow): string {
  return `${record.at}|${record.phase}|${attention ?? ''}|${record.runId ?? ''}`;
}
