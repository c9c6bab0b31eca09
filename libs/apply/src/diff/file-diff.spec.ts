import type { RenderedConfig } from '@hostnet/render';
import type { HostFacts } from '../domain/host-facts';
import { contentSha256, diffFiles } from './file-diff';
import { liveDifferences } from '@hostnet/intent';
import { unifiedDiff } from '@hostnet/render';

function facts(files: { path: string; content: string; mode: number }[]): HostFacts {
  return {
    osRelease: {},
    tools: {},
    networkScriptsDir: false,
    ifupdown2: false,
    systemdPid1: false,
    nmOvsPlugin: false,
    hostNow: 0,
    files: new Map(files.map((f) => [f.path, { path: f.path, sha256: contentSha256(f.content), size: f.content.length, mode: f.mode, content: f.content }])),
    live: { links: [], addresses: [], routes: [] },
    ovsPresent: false,
  };
}

const rendered: RenderedConfig = {
  target: 'el-network-scripts-linux',
  files: [
    { path: '/etc/sysconfig/network-scripts/ifcfg-cloudbr0', content: 'DEVICE=cloudbr0\nTYPE=Bridge\n', mode: 0o644 },
    { path: '/etc/sysconfig/network-scripts/ifcfg-eth0', content: 'DEVICE=eth0\nBRIDGE=cloudbr0\n', mode: 0o644 },
    { path: '/etc/sysconfig/network-scripts/ifcfg-eth1', content: 'DEVICE=eth1\n', mode: 0o644 },
    { path: '/etc/netplan/01.yaml', content: 'network: {}\n', mode: 0o600 },
  ],
  removes: ['/etc/sysconfig/network-scripts/ifcfg-old', '/etc/sysconfig/network-scripts/ifcfg-gone'],
  steps: [],
};

describe('diffFiles', () => {
  const host = facts([
    { path: '/etc/sysconfig/network-scripts/ifcfg-eth0', content: 'DEVICE=eth0\nIPADDR=10.0.0.5\n', mode: 0o644 },
    { path: '/etc/sysconfig/network-scripts/ifcfg-eth1', content: 'DEVICE=eth1\n', mode: 0o644 },
    { path: '/etc/netplan/01.yaml', content: 'network: {}\n', mode: 0o644 },
    { path: '/etc/sysconfig/network-scripts/ifcfg-old', content: 'DEVICE=old\n', mode: 0o644 },
  ]);

  it('classifies create/update/same by content hash and mode; existing removes are deletes', () => {
    expect(diffFiles(rendered, host, false)).toEqual([
      { path: '/etc/sysconfig/network-scripts/ifcfg-cloudbr0', change: 'create' },
      { path: '/etc/sysconfig/network-scripts/ifcfg-eth0', change: 'update' },
      { path: '/etc/sysconfig/network-scripts/ifcfg-eth1', change: 'same' },
      { path: '/etc/netplan/01.yaml', change: 'update' },
      { path: '/etc/sysconfig/network-scripts/ifcfg-old', change: 'delete' },
    ]);
  });

  it('adds unified text for dry-runs, including a mode change', () => {
    const diff = diffFiles(rendered, host, true);
    expect(diff[1].unified).toBe(
      '--- a/etc/sysconfig/network-scripts/ifcfg-eth0\n+++ b/etc/sysconfig/network-scripts/ifcfg-eth0\n@@ -1,2 +1,2 @@\n DEVICE=eth0\n-IPADDR=10.0.0.5\n+BRIDGE=cloudbr0\n',
    );
    expect(diff[2].unified).toBeUndefined();
    expect(diff[3].unified).toContain('mode 644 -> 600');
  });

  it("says why another owner's config moved aside is deleted", () => {
    const moved = { ...rendered, neutralised: [{ path: '/etc/sysconfig/network-scripts/ifcfg-old', interfaces: ['eth0', 'eth1'] }] };
    expect(diffFiles(moved, host, false).find((f) => f.change === 'delete')).toEqual({
      path: '/etc/sysconfig/network-scripts/ifcfg-old',
      change: 'delete',
      reason: "configures eth0, eth1, which hostnet manages: moved into the run's backup (back on rollback)",
    });
  });
});

describe('unifiedDiff', () => {
  it('caps very long diffs', () => {
    expect(unifiedDiff('/etc/x', '', 'line\n'.repeat(5000)).length).toBeLessThan(8100);
  });
});

describe('liveDifferences', () => {
  it('lists what is missing or wrong and ignores extras and extra bridge ports', () => {
    const expected = {
      links: [
        { name: 'cloudbr0', kind: 'bridge' as const, members: ['bond0'] },
        { name: 'bond0', kind: 'bond' as const, members: ['eth0', 'eth1'], master: 'cloudbr0' },
        { name: 'bond0.200', kind: 'vlan' as const, parent: 'bond0', vlanId: 200, up: true },
        { name: 'cloudbr1', kind: 'bridge' as const },
      ],
      addresses: [{ dev: 'cloudbr0', address: '10.0.0.5', prefix: 24 }],
      routes: [{ to: 'default', via: '10.0.0.1', dev: 'cloudbr0' }],
    };
    const actual = {
      links: [
        { name: 'cloudbr0', kind: 'bridge' as const, members: ['bond0', 'vnet3'] },
        { name: 'bond0', kind: 'bond' as const, members: ['eth0'] },
        { name: 'bond0.200', kind: 'vlan' as const, parent: 'bond0', vlanId: 201, up: false },
        { name: 'virbr0', kind: 'bridge' as const },
      ],
      addresses: [{ dev: 'bond0', address: '10.0.0.5', prefix: 24 }],
      routes: [{ to: 'default', via: '10.0.0.1', dev: 'bond0' }],
    };
    expect(liveDifferences(expected, actual)).toEqual([
      'bond0 is enslaved to nothing, expected cloudbr0',
      'bond0 lacks members eth1',
      'bond0.200 has VLAN 201, expected 200',
      'bond0.200 is down',
      'bridge cloudbr1 is missing',
      'address 10.0.0.5/24 is not on cloudbr0',
      'route default via 10.0.0.1 dev cloudbr0 is missing',
    ]);
    expect(liveDifferences(expected, { ...expected, links: [...expected.links, ...actual.links.slice(3)] })).toEqual([]);
  });
});
