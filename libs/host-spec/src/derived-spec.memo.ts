import type { KvmHost, ZoneNetworkTopology } from '@hostnet/cloudstack';
import { deepFreeze } from '@hostnet/contracts';

/**
 * Remembers each host's last derived spec with the inputs it came from: the zone without its hosts
 * (labels, pods, storage ranges…), that host's own record and the profile set. The poller derives
 * every host's spec on every pass; between changes those inputs are the same, so the same spec comes
 * back without building and hashing the intent again. Any difference in them derives anew. Cached
 * values are deep-frozen: a caller that mutated one would change it for every later caller.
 * A host's state and resource state are not inputs of its spec (the intent never reads them; a spec
 * in libs/intent holds it to that): a host that went from Disabled to Enabled, or Alert to Up, keeps its spec.
 */
export class DerivedSpecMemo<T extends object> {
  private readonly byHost = new Map<string, { key: string; profiles: object; value: T }>();
  /** Each hosts array's positions by host id: a zone pass asks for every host, and a scan per host was N² on a 1,000-host zone. */
  private readonly positions = new WeakMap<readonly KvmHost[], Map<string, number>>();

  /**
   * The spec `derive` gives for this host, from the memo when its inputs are unchanged. The key is
   * built from the topology as it is now (not remembered per object), so a topology changed in place
   * is seen too. Errors are not kept.
   */
  get(topology: ZoneNetworkTopology, hostId: string, profiles: object, derive: () => T, zoneKey: () => string = () => DerivedSpecMemo.zoneKey(topology)): T {
    const host = this.hostOf(topology.hosts, hostId);
    if (!host) return derive(); // a name, or an unknown host: derive and let it explain
    const { state: _state, resourceState: _resourceState, ...identity } = host;
    const key = `${zoneKey()}\u0000${JSON.stringify(identity)}`;
    const kept = this.byHost.get(hostId);
    if (kept && kept.key === key && kept.profiles === profiles) return kept.value;
    const value = deepFreeze(derive());
    this.byHost.set(hostId, { key, profiles, value });
    return value;
  }

  /**
   * The zone without its hosts, as the key holds it. `get` computes it per call unless handed one: a caller asking
   * for every host of a topology in one synchronous run computes it once (HostSpecService.specsIn).
   */
  static zoneKey(topology: ZoneNetworkTopology): string {
    const { hosts: _hosts, ...zone } = topology;
    return JSON.stringify(zone);
  }

  /** Read through the array itself, so a host replaced or moved in place is still seen as it is now. */
  private hostOf(hosts: readonly KvmHost[], hostId: string): KvmHost | undefined {
    const at = this.positions.get(hosts)?.get(hostId);
    if (at !== undefined && hosts[at]?.id === hostId) return hosts[at];
    const index = new Map<string, number>();
    hosts.forEach((h, i) => index.has(h.id) || index.set(h.id, i)); // the first, as find() would
    this.positions.set(hosts, index);
    const found = index.get(hostId);
    return found === undefined ? undefined : hosts[found];
  }

  clear(): void {
    this.byHost.clear();
  }
}
