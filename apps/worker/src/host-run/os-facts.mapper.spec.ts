import type { HostFacts } from '@hostnet/apply';
import { selectTarget } from '@hostnet/render';
import { hostOsFacts } from './os-facts.mapper';

/** An Ubuntu 24.04 host's facts: netplan and NetworkManager installed, the netplan files given. */
const ubuntu = (netplan: Record<string, string>): HostFacts => ({
  osRelease: { ID: 'ubuntu', ID_LIKE: 'debian', VERSION_ID: '24.04' },
  tools: { ip: '/usr/sbin/ip', netplan: '/usr/sbin/netplan', nmcli: '/usr/bin/nmcli' },
  networkScriptsDir: false,
  ifupdown2: false,
  systemdPid1: true,
  nmOvsPlugin: false,
  hostNow: 1_700_000_000,
  files: new Map(Object.entries(netplan).map(([path, content]) => [path, { path, sha256: '0'.repeat(64), size: content.length, mode: 0o600, content }])),
  live: { links: [], addresses: [], routes: [] },
  ovsPresent: false,
});

describe('hostOsFacts: an Ubuntu host run by NetworkManager', () => {
  it("reads the netplan file that hands the host to NetworkManager, so selection refuses it rather than start networkd on the same NICs", () => {
    const facts = hostOsFacts(ubuntu({ '/etc/netplan/01-network-manager-all.yaml': 'network:\n  version: 2\n  renderer: NetworkManager\n' }));
    expect(facts.netplanNetworkManager).toBe('/etc/netplan/01-network-manager-all.yaml');
    expect(() => selectTarget(facts, 'linux')).toThrow(/netplan hands this host's devices to NetworkManager/);
  });

  it('an Ubuntu server whose netplan renders for networkd gets netplan-linux, NetworkManager installed or not', () => {
    const facts = hostOsFacts(ubuntu({ '/etc/netplan/50-cloud-init.yaml': 'network:\n  version: 2\n  ethernets:\n    eno1: {dhcp4: true}\n' }));
    expect(facts.netplanNetworkManager).toBeUndefined();
    expect(selectTarget(facts, 'linux')).toBe('netplan-linux');
  });
});
