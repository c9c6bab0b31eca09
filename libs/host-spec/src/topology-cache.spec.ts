import type { KvmHost, ZoneNetworkTopology } from '@hostnet/cloudstack';
import { TopologyCache, type TopologyLoader } from './topology-cache';

const topology = (name: string, hosts: string[] = []) =>
  ({ zone: { id: name, name }, hosts: hosts.map((id) => ({ id }) as KvmHost) }) as unknown as ZoneNetworkTopology;

/** A loader that records each call, as `getTopology:z1` or `refreshHosts:z1`. */
function recordingLoader(calls: string[], refreshed: (t: ZoneNetworkTopology) => ZoneNetworkTopology | undefined = (t) => t): TopologyLoader {
  return {
    getTopology: async (zone) => (calls.push(`getTopology:${zone}`), topology(zone, ['h1'])),
    refreshHosts: async (t) => (calls.push(`refreshHosts:${t.zone.id}`), refreshed(t)),
  };
}

describe('TopologyCache', () => {
  it('shares one load between concurrent and recent callers, and reloads when stale or asked', async () => {
    let clock = 0;
    const calls: string[] = [];
    const cache = new TopologyCache(recordingLoader(calls), { maxAgeMs: 1000, staticMaxAgeMs: 60_000 }, () => clock);
    await Promise.all([cache.get('z1'), cache.get('z1'), cache.get('z2')]);
    clock = 999;
    await cache.get('z1');
    expect(calls).toEqual(['getTopology:z1', 'getTopology:z2']);
    clock = 1000;
    await cache.get('z1');
    await cache.get('z2', { fresh: true });
    expect(calls).toEqual(['getTopology:z1', 'getTopology:z2', 'getTopology:z1', 'getTopology:z2']);
  });

  it('readSince: reuses a load started late enough, and a burst of callers behind an early load shares one more', async () => {
    let clock = 100;
    const calls: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const loader = recordingLoader(calls);
    const slowFirst: TopologyLoader = { ...loader, getTopology: async (zone) => (calls.length === 0 ? (await gate, loader.getTopology(zone)) : loader.getTopology(zone)) };
    const cache = new TopologyCache(slowFirst, { maxAgeMs: 60_000, staticMaxAgeMs: 60_000 }, () => clock);
    const early = cache.get('z1'); // started at 100, still in flight
    clock = 200;
    const burst = [cache.readSince('z1', 150), cache.readSince('z1', 180), cache.readSince('z1', 200)];
    release();
    await Promise.all([early, ...burst]);
    // The early load (at 100) answers none of them; one load started after it answers all three.
    expect(calls).toEqual(['getTopology:z1', 'getTopology:z1']);
    expect(await cache.readSince('z1', 200)).toBe(await burst[0]);
    clock = 300;
    await cache.readSince('z1', 250);
    expect(calls).toHaveLength(3);
  });

  it('readSince with a spacing: results arriving one after another share one read, started no sooner than the spacing after the last', async () => {
    const calls: string[] = [];
    const started: number[] = [];
    const loader = recordingLoader(calls);
    const timed: TopologyLoader = { ...loader, getTopology: (zone) => (started.push(Date.now()), loader.getTopology(zone)) };
    // A spacing far above the results' 50 ms gaps: a full test run's load delays timers by a few hundred ms.
    const cache = new TopologyCache(timed, { maxAgeMs: 60_000, staticMaxAgeMs: 60_000, readSinceSpacingMs: 1000 });
    await cache.readSince('z1', Date.now());
    // Three results, 50 ms apart, each after the first read: they wait for one more read, 1 s after the first.
    const later: Promise<ZoneNetworkTopology>[] = [];
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 50));
      later.push(cache.readSince('z1', Date.now()));
    }
    const answers = await Promise.all(later);
    expect(calls).toEqual(['getTopology:z1', 'getTopology:z1']);
    expect(new Set(answers).size).toBe(1);
    expect(started[1]! - started[0]!).toBeGreaterThanOrEqual(995);
    // Past the spacing, a result is read with no wait: the read starts within the call itself.
    await new Promise((r) => setTimeout(r, 1020));
    const read = cache.readSince('z1', Date.now());
    expect(calls).toHaveLength(3);
    await read;
  });

  it('does not keep a failed load', async () => {
    let fail = true;
    const loader = recordingLoader([]);
    const cache = new TopologyCache(
      { ...loader, getTopology: async (zone) => { if (fail) throw new Error('503'); return topology(zone); } },
      { maxAgeMs: 60_000, staticMaxAgeMs: 60_000 },
    );
    await expect(cache.get('z1')).rejects.toThrow('503');
    fail = false;
    await expect(cache.get('z1')).resolves.toMatchObject({ zone: { id: 'z1' } });
  });

  it('lists only hosts for a pass while the rest of the zone is younger than its TTL', async () => {
    let clock = 0;
    const calls: string[] = [];
    const cache = new TopologyCache(recordingLoader(calls, (t) => ({ ...t, hosts: [{ id: `h-at-${clock}` } as KvmHost] })), { maxAgeMs: 1000, staticMaxAgeMs: 10_000 }, () => clock);
    expect((await cache.withFreshHosts('z1')).hostsOnly).toBe(false);
    clock = 500;
    const pass = await cache.withFreshHosts('z1');
    expect(pass.hostsOnly).toBe(true);
    expect(pass.topology.hosts.map((h) => h.id)).toEqual(['h-at-500']);
    await expect(cache.get('z1')).resolves.toBe(pass.topology);
    expect(calls).toEqual(['getTopology:z1', 'refreshHosts:z1']);
    // The zone's static part is as old as its last full read: `get` does not count the host refresh as new.
    clock = 5001;
    await cache.get('z1');
    clock = 15_000;
    await cache.withFreshHosts('z1');
    clock = 15_001;
    await cache.withFreshHosts('z1');
    expect(calls).toEqual(['getTopology:z1', 'refreshHosts:z1', 'getTopology:z1', 'refreshHosts:z1', 'getTopology:z1']);
  });

  it('reads the whole zone again when the host listing shows something the cached zone does not know', async () => {
    const calls: string[] = [];
    const cache = new TopologyCache(recordingLoader(calls, () => undefined), { maxAgeMs: 1000, staticMaxAgeMs: 60_000 }, () => 0);
    await cache.get('z1');
    await expect(cache.withFreshHosts('z1')).resolves.toMatchObject({ hostsOnly: false });
    expect(calls).toEqual(['getTopology:z1', 'refreshHosts:z1', 'getTopology:z1']);
  });

  it('lets a full read of a zone under one key serve its other keys (name and id)', async () => {
    let clock = 0;
    const calls: string[] = [];
    const loader = recordingLoader(calls);
    const cache = new TopologyCache(
      { ...loader, getTopology: async (key) => (calls.push(`getTopology:${key}`), { ...topology('z1'), zone: { id: 'z1', name: 'zone one', label: `read at ${clock}` } } as unknown as ZoneNetworkTopology) },
      { maxAgeMs: 1000, staticMaxAgeMs: 60_000 },
      () => clock,
    );
    await cache.withFreshHosts('zone one');
    clock = 10;
    const byId = await cache.get('z1', { fresh: true });
    await expect(cache.withFreshHosts('zone one')).resolves.toMatchObject({ hostsOnly: true, topology: { zone: { label: 'read at 10' } } });
    expect(byId.zone).toMatchObject({ label: 'read at 10' });
    expect(calls).toEqual(['getTopology:zone one', 'getTopology:z1', 'refreshHosts:z1']);
  });
});
