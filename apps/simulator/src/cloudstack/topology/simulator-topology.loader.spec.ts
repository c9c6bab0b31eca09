import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimulatorState } from '../state/simulator-state';
import { zoneKvmLabels } from '../state/zone-kvm-labels';
import { DEFAULT_TOPOLOGY_PATH } from './default-topology';
import { loadSimulatorTopology, parseSimulatorTopology, SimulatorTopologyError } from './simulator-topology.loader';

const minimal = (overrides: Record<string, unknown> = {}) => ({
  zones: [{ name: 'z', pods: [{ name: 'p', gateway: '10.0.0.1', netmask: '255.255.255.0', clusters: [{ name: 'c' }] }], ...overrides }],
});

describe('simulator topology loader', () => {
  it('loads the default topology: the reference document’s zone', () => {
    const state = new SimulatorState(loadSimulatorTopology(DEFAULT_TOPOLOGY_PATH));
    expect(state.zones.map((z) => [z.name, z.networkType])).toEqual([['zone1', 'Advanced']]);
    expect(state.pods[0]).toMatchObject({ gateway: '192.168.100.1', netmask: '255.255.255.0' });
    expect(state.hosts.map((h) => [h.name, h.ipAddress, h.state, h.resourceState])).toEqual([
      ['kvm1', '192.168.100.20', 'Alert', 'Disabled'],
      ['kvm2', '192.168.100.21', 'Alert', 'Disabled'],
      ['kvm3', '192.168.100.22', 'Alert', 'Disabled'],
    ]);
    const labelOf = (type: string) => state.trafficTypes.find((t) => t.trafficType === type)!;
    expect(labelOf('Management').kvmNetworkLabel).toBe('cloudbr0');
    expect(labelOf('Guest').kvmNetworkLabel).toBe('cloudbr0');
    expect(labelOf('Public').kvmNetworkLabel).toBe('cloudbr1');
    expect(labelOf('Storage').kvmNetworkLabel).toBe('cloudbr100');
    expect(state.cloudstackVersion).toBe('4.19.1.0');
    expect(state.hosts.every((h) => h.agentVersion === undefined)).toBe(true);
    expect(labelOf('Management').physicalNetworkId).toBe(labelOf('Guest').physicalNetworkId);
    expect(labelOf('Public').physicalNetworkId).not.toBe(labelOf('Guest').physicalNetworkId);
    expect(state.storageRanges[0]).toMatchObject({ startIp: '10.0.100.100', endIp: '10.0.100.199', netmask: '255.255.255.0', vlan: 100 });
    expect(zoneKvmLabels(state, state.zones[0]!.id)).toEqual({ private: 'cloudbr0', guest: 'cloudbr0', public: 'cloudbr1' });
  });

  it('seeds an agent version per host and refuses one that is not a CloudStack version', () => {
    const hosts = (agentVersion: string) => ({ name: 'c', hosts: [{ name: 'kvm1', ipAddress: '10.0.0.11', agentVersion }] });
    const seed = (agentVersion: string) => ({ zones: [{ name: 'z', pods: [{ name: 'p', gateway: '10.0.0.1', netmask: '255.255.255.0', clusters: [hosts(agentVersion)] }] }] });
    expect(new SimulatorState(parseSimulatorTopology(seed('4.22.0.0'))).hosts[0]?.agentVersion).toBe('4.22.0.0');
    expect(() => parseSimulatorTopology(seed('4.22; reboot'))).toThrow(/agentVersion.*CloudStack version such as 4\.19\.1\.0/);
  });

  it('gives the same ids on every load', () => {
    const a = new SimulatorState(loadSimulatorTopology(DEFAULT_TOPOLOGY_PATH));
    const b = new SimulatorState(loadSimulatorTopology(DEFAULT_TOPOLOGY_PATH));
    expect(a.hosts.map((h) => h.id)).toEqual(b.hosts.map((h) => h.id));
    expect(a.trafficTypes.map((t) => t.id)).toEqual(b.trafficTypes.map((t) => t.id));
  });

  it('expands a hostTemplate after the listed hosts', () => {
    const topology = parseSimulatorTopology(minimal({
      pods: [{ name: 'p', gateway: '10.0.0.1', netmask: '255.255.0.0', clusters: [{
        name: 'c', hosts: [{ name: 'first', ipAddress: '10.0.9.9' }],
        hostTemplate: { count: 3, namePrefix: 'kvm', ipStart: '10.0.0.255', resourceState: 'Disabled' },
      }] }],
    }));
    expect(new SimulatorState(topology).hosts.map((h) => [h.name, h.ipAddress, h.resourceState])).toEqual([
      ['first', '10.0.9.9', 'Enabled'], ['kvm1', '10.0.0.255', 'Disabled'], ['kvm2', '10.0.1.0', 'Disabled'], ['kvm3', '10.0.1.1', 'Disabled'],
    ]);
  });

  it('names the source and the path of each problem', () => {
    const bad = minimal({
      pods: [{ name: 'p', gateway: '10.0.0.300', netmask: '255.255.255.0', clusters: [{ name: 'c', hosts: [{ name: 'h', ipAddress: '1.2.3.4', state: 'Sleeping' }] }] }],
    });
    expect(() => parseSimulatorTopology(bad, 'seed.yaml')).toThrow(SimulatorTopologyError);
    try {
      parseSimulatorTopology(bad, 'seed.yaml');
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('Invalid simulator topology seed.yaml');
      expect(message).toContain('zones[0].pods[0].gateway: must be a dotted IPv4 address');
      expect(message).toContain('zones[0].pods[0].clusters[0].hosts[0].state:');
    }
  });

  it('rejects duplicate hosts, unknown storage pods and repeated traffic types', () => {
    const bad = minimal({
      pods: [{ name: 'p', gateway: '10.0.0.1', netmask: '255.255.255.0', clusters: [{
        name: 'c', hosts: [{ name: 'kvm1', ipAddress: '10.0.0.5' }], hostTemplate: { count: 2, namePrefix: 'kvm', ipStart: '10.0.0.6' },
      }] }],
      physicalNetworks: [{ name: 'n', trafficTypes: [{ type: 'Guest' }, { type: 'Guest' }] }],
      storageRanges: [{ pod: 'nope', startIp: '10.1.0.2', endIp: '10.1.0.9', netmask: '255.255.255.0' }],
    });
    expect(() => parseSimulatorTopology(bad, 'x')).toThrow(/host kvm1 \(10\.0\.0\.6\) clashes[\s\S]*Guest appears twice[\s\S]*storageRanges\[0\]\.pod: unknown pod nope/);
  });

  it('reports unreadable files and bad YAML with the file name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-topology-'));
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'zones: [unclosed');
    expect(() => loadSimulatorTopology(file)).toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}[\\s\\S]*not valid YAML`));
    expect(() => loadSimulatorTopology(join(dir, 'missing.json'))).toThrow(/missing\.json[\s\S]*cannot read file/);
  });
});
