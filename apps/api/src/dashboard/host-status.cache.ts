import { Injectable } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';
import { HostStatusRepository } from '../hosts/host-status.repository';
import type { HostStatusRecord } from '../hosts/host-status.types';

const MGET_CHUNK = 500;
/** Every this many refreshes everything is re-read, in case two records of a host shared a millisecond. */
const FULL_RELOAD_EVERY = 30;

/**
 * This api process's copy of every host's latest status, for the dashboard. A refresh reads the
 * status index (host id → time of its last record) and fetches only the hosts whose time moved,
 * so an idle fleet of a thousand hosts costs one small ZRANGE per tick, not a thousand records.
 * Reads through HostStatusRepository only; records written by any replica show up.
 */
@Injectable()
export class HostStatusCache {
  private readonly records = new Map<string, HostStatusRecord>();
  private readonly scores = new Map<string, number>();
  private refreshes = 0;
  private refreshing: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private refreshedAt = 0;
  private readonly changed = new Subject<void>();
  /** Bumped whenever a refresh changed anything. */
  version = 0;

  constructor(private readonly statuses: HostStatusRepository) {}

  /** The latest statuses, refreshed first when older than `maxAgeMs`. */
  async current(maxAgeMs: number): Promise<ReadonlyMap<string, HostStatusRecord>> {
    if (Date.now() - this.refreshedAt > maxAgeMs) await this.refresh();
    return this.records;
  }

  /** Emits after every refresh that changed something. */
  get changes(): Observable<void> {
    return this.changed.asObservable();
  }

  /** One refresh at a time; concurrent callers share it. */
  refresh(): Promise<void> {
    this.refreshing ??= this.load().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /** A refresh that reads after this call: one already running may have read before a write just made. */
  refreshAfterNow(): Promise<void> {
    if (!this.refreshing) return this.refresh();
    this.queued ??= this.refreshing.then(
      () => ((this.queued = undefined), this.refresh()),
      () => ((this.queued = undefined), this.refresh()),
    );
    return this.queued;
  }

  private async load(): Promise<void> {
    const full = this.refreshes++ % FULL_RELOAD_EVERY === 0;
    const index = await this.statuses.indexWithScores();
    const seen = new Set<string>();
    const stale: string[] = [];
    for (const [id, score] of index) {
      seen.add(id);
      if (full || this.scores.get(id) !== score || !this.records.has(id)) stale.push(id);
      this.scores.set(id, score);
    }
    let changed = false;
    for (const id of [...this.records.keys()]) {
      if (!seen.has(id)) changed = this.records.delete(id) || changed;
    }
    for (let i = 0; i < stale.length; i += MGET_CHUNK) {
      const ids = stale.slice(i, i + MGET_CHUNK);
      const records = await this.statuses.latestMany(ids);
      records.forEach((record, j) => {
        const id = ids[j]!;
        const before = this.records.get(id);
        if (record === undefined) return;
        if (before && before.at === record.at && before.phase === record.phase) return;
        this.records.set(id, record);
        changed = true;
      });
    }
    this.refreshedAt = Date.now();
    if (changed) {
      this.version++;
      this.changed.next();
    }
  }
}
