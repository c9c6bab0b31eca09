import type { ZoneNetworkTopology } from '@hostnet/cloudstack';
import { TopologyCache } from './topology-cache';

const topology = (name: string) => ({ zone: { id: name, name } }) as unknown as ZoneNetworkTopology;

describe('TopologyCache', () => {
  it('shares one load between concurrent and recent callers, and reloads when stale or asked', async () => {
    let clock = 0;
    const calls: string[] = [];
    const cache = new TopologyCache(
      { getTopology: async (zone) => (calls.push(zone), topology(zone)) },
      1000,
      () => clock,
    );
    await Promise.all([cache.get('z1'), cache.get('z1'), cache.get('z2')]);
    clock = 999;
    await cache.get('z1');
    expect(calls).toEqual(['z1', 'z2']);
    clock = 1000;
    await cache.get('z1');
    await cache.get('z2', { fresh: true });
    expect(calls).toEqual(['z1', 'z2', 'z1', 'z2']);
  });

  it('does not keep a failed load', async () => {
    let fail = true;
    const cache = new TopologyCache(
      { getTopology: async (zone) => { if (fail) throw new Error('503'); return topology(zone); } },
      60_000,
    );
    await expect(cache.get('z1')).rejects.toThrow('503');
    fail = false;
    await expect(cache.get('z1')).resolves.toMatchObject({ zone: { id: 'z1' } });
  });
});
