import { DEFAULT_TOPOLOGY_PATH, loadSimulatorTopology } from '../cloudstack';
import { seedZone } from './zone-seed';

describe('seedZone', () => {
  it('gives every host of a 500-host fleet a distinct, valid address', async () => {
    const { hosts } = seedZone(await loadSimulatorTopology(DEFAULT_TOPOLOGY_PATH), 500);
    const octets = hosts.flatMap((h) => [h.ipAddress, h.storageAddress]).map((ip) => ip.split('.').map(Number));
    expect(octets.every((o) => o.length === 4 && o.every((n) => Number.isInteger(n) && n >= 0 && n <= 255))).toBe(true);
    expect(octets.every((o) => o[3]! >= 10 && o[3]! <= 249)).toBe(true);
    expect(new Set(hosts.map((h) => h.ipAddress)).size).toBe(500);
    expect(new Set(hosts.map((h) => h.storageAddress)).size).toBe(500);
  });

  it("widens the pod's storage range past the fleet (the lint refuses a range smaller than its hosts) and keeps host addresses out of it", async () => {
    const { topology, hosts } = seedZone(await loadSimulatorTopology(DEFAULT_TOPOLOGY_PATH), 1203);
    const n = (ip: string) => ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
    const [range] = topology.zones[0]!.storageRanges;
    expect(n(range!.endIp) - n(range!.startIp) + 1).toBeGreaterThanOrEqual(1203);
    expect(hosts.filter((h) => n(h.storageAddress) >= n(range!.startIp) && n(h.storageAddress) <= n(range!.endIp))).toEqual([]);
  });

  it('keeps the reference /24 addresses for small zones and lists spares outside CloudStack', async () => {
    const { topology, hosts, spares } = seedZone(await loadSimulatorTopology(DEFAULT_TOPOLOGY_PATH), 3, 1);
    expect(hosts.map((h) => h.ipAddress)).toEqual(['192.168.100.20', '192.168.100.21', '192.168.100.22']);
    expect(spares.map((h) => h.ipAddress)).toEqual(['192.168.100.23']);
    expect(topology.zones[0]!.pods[0]!.clusters[0]!.hosts.map((h) => h.name)).toEqual(['kvm1', 'kvm2', 'kvm3']);
  });
});
