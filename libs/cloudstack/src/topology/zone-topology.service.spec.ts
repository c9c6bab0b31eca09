import { TrafficType } from '../domain/cloudstack-records';
import { KvmHost, Zone } from '../domain/zone-network-topology';
import { AmbiguousZoneError, NoKvmHostsError, ZoneNotFoundError } from './topology-errors';
import { TopologySource, ZoneTopologyService } from './zone-topology.service';

const zone = (id: string, name: string): Zone => ({ id, name, networkType: 'Advanced' });
const host: KvmHost = {
  id: 'h1', name: 'kvm1', ipAddress: '192.168.100.11', zoneId: 'z1', podId: 'p1', clusterId: 'c1',
  state: 'Up', resourceState: 'Disabled', hypervisor: 'KVM', agentVersion: '4.20.1.0',
};
const traffic = (id: string, pn: string, trafficType: TrafficType['trafficType'], label: string | null): TrafficType => ({
  id, physicalNetworkId: pn, trafficType, kvmNetworkLabel: label,
});

function fakeSource(overrides: Partial<TopologySource> = {}): jest.Mocked<TopologySource> {
  return {
    listZones: jest.fn(async () => [zone('z1', 'Zone1'), zone('z2', 'dup'), zone('z3', 'dup')]),
    listPods: jest.fn(async () => [
      { id: 'p1', name: 'Pod1', zoneId: 'z1', gateway: '192.168.100.1', netmask: '255.255.255.0' },
      { id: 'p2', name: 'Pod2', zoneId: 'z1', gateway: '', netmask: '' },
    ]),
    listClusters: jest.fn(async () => [{ id: 'c1', name: 'C1', podId: 'p1', zoneId: 'z1', hypervisorType: 'KVM' }]),
    listHosts: jest.fn(async () => [host]),
    listPhysicalNetworks: jest.fn(async () => [
      { id: 'pn1', name: 'physnet1', zoneId: 'z1', isolationMethods: ['VLAN'], vlanRanges: [{ start: 100, end: 200 }], tags: [] },
      { id: 'pn2', name: 'physnet2', zoneId: 'z1', isolationMethods: ['VLAN'], vlanRanges: [], tags: [] },
    ]),
    listTrafficTypes: jest.fn(async (pn: string) =>
      pn === 'pn1'
        ? [traffic('t1', 'pn1', 'Management', 'cloudbr0'), traffic('t2', 'pn1', 'Guest', 'cloudbr0')]
        : [traffic('t3', 'pn2', 'Public', null)],
    ),
    listStorageNetworkIpRanges: jest.fn(async () => [
      { id: 's1', zoneId: 'z1', podId: 'p1', startIp: '10.0.100.10', endIp: '10.0.100.50', netmask: '255.255.255.0', vlan: 100 },
    ]),
    listCapabilities: jest.fn(async () => ({ cloudStackVersion: '4.22.0.0', other: {} })),
    ...overrides,
  } as jest.Mocked<TopologySource>;
}

describe('ZoneTopologyService', () => {
  it('assembles the topology with one listTrafficTypes per physical network', async () => {
    const source = fakeSource();
    const topo = await new ZoneTopologyService(source).getTopology('Zone1');
    expect(topo.zone.id).toBe('z1');
    expect(source.listTrafficTypes.mock.calls).toEqual([['pn1'], ['pn2']]);
    expect(source.listHosts).toHaveBeenCalledTimes(1);
    expect(source.listHosts).toHaveBeenCalledWith({ zoneId: 'z1' });
    expect(topo.physicalNetworks[1]?.trafficTypes[0]).toEqual({
      id: 't3', physicalNetworkId: 'pn2', trafficType: 'Public', kvmNetworkLabel: null,
      effectiveLabel: 'cloudbr0', labelSource: 'agent-default',
    });
    expect(topo.physicalNetworks[0]?.trafficTypes.every((t) => t.labelSource === 'cloudstack')).toBe(true);
    expect(topo.storageRanges[0]?.vlan).toBe(100);
    expect(topo.warnings).toEqual([
      {
        code: 'label-missing', physicalNetworkId: 'pn2', trafficType: 'Public',
        message: 'Public traffic on physical network "physnet2" has no KVM label; the KVM agent would use "cloudbr0" (the Guest label)',
      },
      { code: 'pod-without-gateway', message: expect.stringContaining('"Pod2"') },
    ]);
  });

  it('carries the management server version and each agent\'s, dropping one that is not a version', async () => {
    const topo = await new ZoneTopologyService(fakeSource()).getTopology('z1');
    expect(topo.cloudstackVersion).toBe('4.22.0.0');
    expect(topo.hosts[0]?.agentVersion).toBe('4.20.1.0');
    const odd = fakeSource({ listCapabilities: jest.fn(async () => ({ cloudStackVersion: '4.22; rm -rf /', other: {} })) });
    expect((await new ZoneTopologyService(odd).getTopology('z1')).cloudstackVersion).toBeUndefined();
  });

  it('resolves a zone by id and case-insensitive name', async () => {
    await expect(new ZoneTopologyService(fakeSource()).getTopology('z1')).resolves.toMatchObject({ zone: { name: 'Zone1' } });
    await expect(new ZoneTopologyService(fakeSource()).getTopology('zone1')).resolves.toMatchObject({ zone: { id: 'z1' } });
  });

  it('names the known zones when the zone is unknown', async () => {
    const p = new ZoneTopologyService(fakeSource()).getTopology('nowhere');
    await expect(p).rejects.toThrow(ZoneNotFoundError);
    await expect(new ZoneTopologyService(fakeSource()).getTopology('nowhere')).rejects.toThrow(
      'zone "nowhere" not found; known zones: "Zone1", "dup", "dup"',
    );
  });

  it('refuses an ambiguous zone name', async () => {
    await expect(new ZoneTopologyService(fakeSource()).getTopology('dup')).rejects.toThrow(AmbiguousZoneError);
  });

  it('warns about a zone without KVM hosts, or fails when asked to', async () => {
    const source = fakeSource({ listHosts: jest.fn(async () => []) });
    const topo = await new ZoneTopologyService(source).getTopology('z1');
    expect(topo.warnings.map((w) => w.code)).toContain('no-kvm-hosts');
    await expect(new ZoneTopologyService(source).getTopology('z1', { requireKvmHosts: true })).rejects.toThrow(NoKvmHostsError);
  });

  it('reports traffic types missing from every physical network', async () => {
    const source = fakeSource({ listTrafficTypes: jest.fn(async () => [traffic('t1', 'pn1', 'Management', 'cloudbr0')]) });
    const topo = await new ZoneTopologyService(source).getTopology('z1');
    expect(topo.warnings.filter((w) => w.code === 'traffic-type-missing').map((w) => w.trafficType)).toEqual(['Guest', 'Public']);
  });

  it('lists only the hosts of a known zone again, and declines when a host is new or sits in an unknown pod or cluster', async () => {
    const source = fakeSource();
    const service = new ZoneTopologyService(source);
    const topo = await service.getTopology('z1');
    const calls = () => Object.values(source).reduce((n, fn) => n + (fn as jest.Mock).mock.calls.length, 0);
    const before = calls();

    source.listHosts.mockResolvedValueOnce([{ ...host, state: 'Alert' }]);
    const refreshed = await service.refreshHosts(topo);
    expect(calls() - before).toBe(1);
    expect(source.listHosts).toHaveBeenLastCalledWith({ zoneId: 'z1' });
    expect(refreshed).toEqual({ ...topo, hosts: [{ ...host, state: 'Alert' }] });

    source.listHosts.mockResolvedValueOnce([]);
    expect((await service.refreshHosts(topo))?.warnings.map((w) => w.code)).toContain('no-kvm-hosts');
    source.listHosts.mockResolvedValueOnce([host, { ...host, id: 'h2' }]);
    await expect(service.refreshHosts(topo)).resolves.toBeUndefined();
    source.listHosts.mockResolvedValueOnce([{ ...host, clusterId: 'c9' }]);
    await expect(service.refreshHosts(topo)).resolves.toBeUndefined();
    source.listHosts.mockResolvedValueOnce([{ ...host, podId: 'p9' }]);
    await expect(service.refreshHosts(topo)).resolves.toBeUndefined();
  });
});
