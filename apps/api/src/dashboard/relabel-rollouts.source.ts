import { Inject, Injectable, Logger, type MessageEvent } from '@nestjs/common';
import type { RelabelPlan } from '@hostnet/relabel';
import { catchError, defer, distinctUntilChanged, from, map, of, switchMap, timer, type Observable } from 'rxjs';
import type { RelabelRollout } from '../relabels/relabel-rollout.types';
import { DASHBOARD_OPTIONS, RELABEL_ROLLOUT_READER, type DashboardOptions, type RelabelRolloutReader } from './dashboard.tokens';
import type { HostQuery } from './host-query';
import { renderRolloutPanel, ROLLOUTS_UNREADABLE, type RolloutPanel } from './rollout-panel.renderer';
import { viewRollout } from './rollout-view';

/** Rollouts read per refresh (every zone's, newest first); the view keeps the zone's latest few. */
const READ = 50;
const SHOWN = 5;

/**
 * The rollout region's content, read through the rollouts' store (read-only). Every open dashboard
 * shares one list read per half refresh interval; plans never change, so each is read once, and a
 * panel is rendered once per set of record versions.
 */
@Injectable()
export class RelabelRolloutsSource {
  private readonly logger = new Logger(RelabelRolloutsSource.name);
  private readonly plans = new Map<string, RelabelPlan>();
  private readonly rendered = new Map<string, RolloutPanel>();
  private latest: { at: number; rollouts: Promise<RelabelRollout[]> } | undefined;

  constructor(
    @Inject(RELABEL_ROLLOUT_READER) private readonly reader: RelabelRolloutReader,
    @Inject(DASHBOARD_OPTIONS) private readonly options: DashboardOptions,
  ) {}

  /** The zone's (the filter's, else every zone's) latest rollouts; an unreadable store shows as such, never fails the page. */
  async panel(query: Pick<HostQuery, 'zone'>): Promise<RolloutPanel> {
    try {
      const rollouts = (await this.rollouts()).filter((r) => !query.zone || r.zoneId === query.zone || r.zoneName === query.zone).slice(0, SHOWN);
      const plans = await Promise.all(rollouts.map((r) => this.planOf(r.id)));
      // Every open page asks each refresh; a big rollout is rendered again only when its record was written.
      const key = `${query.zone ?? ''}|${rollouts.map((r, i) => `${r.id}:${r.version}:${plans[i] ? 1 : 0}`).join(',')}`;
      const known = this.rendered.get(key);
      if (known) return known;
      const panel = renderRolloutPanel(rollouts.map((r, i) => viewRollout(r, plans[i])), query.zone);
      remember(this.rendered, key, panel);
      return panel;
    } catch (error) {
      this.logger.warn(`relabel rollouts not read: ${(error as Error).message}`);
      return ROLLOUTS_UNREADABLE;
    }
  }

  /** `rollouts` events: the panel at once, then whenever it changed (checked every refreshMs). */
  stream(query: Pick<HostQuery, 'zone'>): Observable<MessageEvent> {
    return timer(0, this.options.refreshMs).pipe(
      switchMap(() => defer(() => from(this.panel(query))).pipe(catchError(() => of(ROLLOUTS_UNREADABLE)))),
      distinctUntilChanged((a, b) => a.html === b.html && a.status === b.status),
      map((panel): MessageEvent => ({ type: 'rollouts', data: panel })),
    );
  }

  private rollouts(): Promise<RelabelRollout[]> {
    if (!this.latest || Date.now() - this.latest.at > this.options.refreshMs / 2) {
      const rollouts = this.reader.list(READ);
      this.latest = { at: Date.now(), rollouts };
      rollouts.catch(() => {
        if (this.latest?.rollouts === rollouts) this.latest = undefined;
      });
    }
    return this.latest.rollouts;
  }

  private async planOf(id: string): Promise<RelabelPlan | undefined> {
    const cached = this.plans.get(id);
    if (cached) return cached;
    const plan = await this.reader.plan(id).catch(() => undefined);
    if (plan) remember(this.plans, id, plan);
    return plan;
  }
}

/** Keeps at most READ entries, the oldest going first. */
function remember<T>(map: Map<string, T>, key: string, value: T): void {
  if (map.size >= READ) map.delete(map.keys().next().value!);
  map.set(key, value);
}
