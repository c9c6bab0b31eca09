import type { ZoneNetworkTopology } from '@hostnet/cloudstack';

/** Anything that can discover a zone's topology (ZoneTopologyService in production). */
export interface TopologyLoader {
  getTopology(zoneIdOrName: string): Promise<ZoneNetworkTopology>;
  /** The zone with its hosts listed again; undefined when a host is new or in an unknown pod or cluster. */
  refreshHosts(topology: ZoneNetworkTopology): Promise<ZoneNetworkTopology | undefined>;
}

/** How long a loaded zone serves each kind of reader. */
export interface TopologyCacheAges {
  /** `get`: the whole zone, hosts included (the jobs of one rollout share it). */
  maxAgeMs: number;
  /** `withFreshHosts`: the zone's pods, clusters, networks and labels, under hosts listed anew. */
  staticMaxAgeMs: number;
  /**
   * `readSince`: whole-zone reads for it start at least this far apart (default 0). Results arriving
   * one after another then share a read instead of each starting one: a rollout costs at most one
   * zone read per spacing, and a result waits at most that long for its re-check.
   */
  readSinceSpacingMs?: number;
}

interface Entry {
  /** When the whole zone was read (a host refresh keeps it: the rest is as old as before). */
  at: number;
  value: Promise<ZoneNetworkTopology>;
  /** Known once the load has answered. */
  zoneId?: string;
}

/**
 * Shares one zone topology between the many host jobs of a rollout: a zone of 500 hosts costs a
 * handful of CloudStack calls per `maxAgeMs` instead of a handful per host. Concurrent misses for
 * the same zone wait on one request. Failures are not cached. Periodic passes (poller, drift) list
 * only hosts and keep the rest of the zone for `staticMaxAgeMs`.
 */
export class TopologyCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly loader: TopologyLoader,
    private readonly ages: TopologyCacheAges,
    private readonly now: () => number = Date.now,
  ) {}

  get(zoneIdOrName: string, options: { fresh?: boolean } = {}): Promise<ZoneNetworkTopology> {
    const cached = this.entries.get(zoneIdOrName);
    if (cached && !options.fresh && this.now() - cached.at < this.ages.maxAgeMs) return cached.value;
    return this.load(zoneIdOrName);
  }

  /**
   * The zone as read by a load that started at or after `sinceMs`, so it shows every change CloudStack
   * had made by then. Callers asking at about the same time share one load: one already started late
   * enough is reused, and while an earlier one is in flight they wait for it, then the first of them
   * starts the next and the rest join it (at most one extra load per burst, however many ask).
   */
  async readSince(zoneIdOrName: string, sinceMs: number): Promise<ZoneNetworkTopology> {
    for (;;) {
      const cached = this.entries.get(zoneIdOrName);
      if (cached && cached.at >= sinceMs) return cached.value;
      if (cached && cached.zoneId === undefined) {
        // Started too early and still loading: a load started now would race it for the same answer.
        await cached.value.catch(() => undefined);
        if (this.entries.get(zoneIdOrName) !== cached) continue;
      }
      const wait = cached ? cached.at + (this.ages.readSinceSpacingMs ?? 0) - this.now() : 0;
      if (wait > 0) {
        await new Promise((resolve) => setTimeout(resolve, wait));
        if (this.entries.get(zoneIdOrName) !== cached) continue;
      }
      return this.load(zoneIdOrName);
    }
  }

  /**
   * The zone with hosts as CloudStack lists them now (listHosts pages only) on the rest of the zone
   * as last read, unless that is older than `staticMaxAgeMs` or a host is new or placed where the
   * cached zone has no pod or cluster: then the whole zone is read again. `hostsOnly` says which.
   */
  async withFreshHosts(zoneIdOrName: string): Promise<{ topology: ZoneNetworkTopology; hostsOnly: boolean }> {
    const cached = this.entries.get(zoneIdOrName);
    if (!cached || this.now() - cached.at >= this.ages.staticMaxAgeMs) return { topology: await this.load(zoneIdOrName), hostsOnly: false };
    const refreshed = await this.loader.refreshHosts(await cached.value);
    if (!refreshed) return { topology: await this.load(zoneIdOrName), hostsOnly: false };
    if (this.entries.get(zoneIdOrName) === cached) this.entries.set(zoneIdOrName, { ...cached, value: Promise.resolve(refreshed) });
    return { topology: refreshed, hostsOnly: true };
  }

  private load(zoneIdOrName: string): Promise<ZoneNetworkTopology> {
    const value = this.loader.getTopology(zoneIdOrName);
    const entry: Entry = { at: this.now(), value };
    this.entries.set(zoneIdOrName, entry);
    value.then(
      (topology) => {
        entry.zoneId = topology.zone.id;
        // The same zone cached under its other name or id (an operator's trigger, the poller's POLL_ZONES) is as new now.
        for (const [key, other] of this.entries) if (other.zoneId === entry.zoneId && other.at < entry.at) this.entries.set(key, entry);
      },
      () => {
        if (this.entries.get(zoneIdOrName) === entry) this.entries.delete(zoneIdOrName);
      },
    );
    return value;
  }
}
