import type { ZoneNetworkTopology } from '@hostnet/cloudstack';

/** Anything that can discover a zone's topology (ZoneTopologyService in production). */
export interface TopologyLoader {
  getTopology(zoneIdOrName: string): Promise<ZoneNetworkTopology>;
}

/**
 * Shares one zone topology between the many host jobs of a rollout: a zone of 500 hosts costs a
 * handful of CloudStack calls per `maxAgeMs` instead of a handful per host. Concurrent misses for
 * the same zone wait on one request. Failures are not cached.
 */
export class TopologyCache {
  private readonly entries = new Map<string, { at: number; value: Promise<ZoneNetworkTopology> }>();

  constructor(
    private readonly loader: TopologyLoader,
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(zoneIdOrName: string, options: { fresh?: boolean } = {}): Promise<ZoneNetworkTopology> {
    const cached = this.entries.get(zoneIdOrName);
    if (cached && !options.fresh && this.now() - cached.at < this.maxAgeMs) return cached.value;
    const value = this.loader.getTopology(zoneIdOrName);
    const entry = { at: this.now(), value };
    this.entries.set(zoneIdOrName, entry);
    value.catch(() => {
      if (this.entries.get(zoneIdOrName) === entry) this.entries.delete(zoneIdOrName);
    });
    return value;
  }
}
