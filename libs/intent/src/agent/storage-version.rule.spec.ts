import { decideStorageAgentRule, parseCloudStackVersion, versionAtLeast } from './storage-version.rule';

describe('decideStorageAgentRule: where the agent puts a storage NIC', () => {
  it.each([
    // version, backend, storage VLAN → rule (BridgeVifDriver.createStorageVnetBridgeIfNeeded arrived in 4.20.2 / 4.21.0)
    ['4.19.1.0', 'linux', 250, 'plugs-into-storage-bridge'],
    ['4.20.1.0', 'linux', 250, 'plugs-into-storage-bridge'],
    ['4.20.2.0', 'linux', 250, 'agent-builds-vlan-bridge'],
    ['4.21.0.0', 'linux', 250, 'agent-builds-vlan-bridge'],
    ['4.22.0.0', 'linux', 250, 'agent-builds-vlan-bridge'],
    ['4.22.0.0-SNAPSHOT', 'linux', 250, 'agent-builds-vlan-bridge'],
    ['4.19.1.0', 'ovs', 250, 'plugs-into-storage-bridge'],
    ['4.20.1.0', 'ovs', 250, 'plugs-into-storage-bridge'],
    ['4.20.2.0', 'ovs', 250, 'plugs-into-storage-bridge'],
    ['4.22.0.0', 'ovs', 250, 'plugs-into-storage-bridge'],
    ['4.19.1.0', 'linux', undefined, 'storage-untagged'],
    ['4.22.0.0', 'linux', undefined, 'storage-untagged'],
    ['4.22.0.0', 'ovs', undefined, 'storage-untagged'],
    [undefined, 'linux', 250, 'version-unknown'],
    ['not-a-version', 'linux', 250, 'version-unknown'],
    [undefined, 'ovs', 250, 'plugs-into-storage-bridge'],
  ] as const)('%s agent, %s, storage VLAN %s → %s', (agentVersion, backend, storageVlan, rule) => {
    expect(decideStorageAgentRule({ agentVersion, backend, storageVlan, storageLabeled: true }).rule).toBe(rule);
  });

  it('names the agent, its version and backend, and the bridge it starts from', () => {
    expect(decideStorageAgentRule({ agentVersion: '4.19.1.0', backend: 'linux', storageVlan: 250, storageLabeled: false })).toEqual({
      rule: 'plugs-into-storage-bridge',
      agent: 'CloudStack 4.19.1.0 agent (Linux bridge)',
      storageBridge: 'the management bridge (Storage has no KVM label)',
    });
    expect(decideStorageAgentRule({ agentVersion: '4.22.0.0', backend: 'ovs', storageVlan: 250, storageLabeled: true })).toMatchObject({
      agent: 'CloudStack 4.22.0.0 agent (Open vSwitch)',
      storageBridge: "the Storage label's bridge",
    });
    expect(decideStorageAgentRule({ backend: 'linux', storageVlan: 250, storageLabeled: true }).agent).toBe('CloudStack agent of unknown version (Linux bridge)');
  });
});

describe('CloudStack versions', () => {
  it('parses what listHosts and listCapabilities report and nothing else', () => {
    expect(parseCloudStackVersion('4.20.2.0')).toEqual([4, 20, 2, 0]);
    expect(parseCloudStackVersion('4.21.0.0-SNAPSHOT')).toEqual([4, 21, 0, 0]);
    expect(parseCloudStackVersion('4.20')).toEqual([4, 20]);
    for (const bad of [undefined, '', '4', 'v4.20.2', '4.20.2.0;id', '4.20.2.0 ']) expect(parseCloudStackVersion(bad)).toBeNull();
  });

  it('compares part by part, missing parts as 0', () => {
    expect(versionAtLeast([4, 20, 2, 0], [4, 20, 2])).toBe(true);
    expect(versionAtLeast([4, 20, 1, 9], [4, 20, 2])).toBe(false);
    expect(versionAtLeast([4, 21], [4, 20, 2])).toBe(true);
    expect(versionAtLeast([4, 9, 3], [4, 20, 2])).toBe(false);
  });
});
