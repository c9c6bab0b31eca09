import type { HostOsFacts } from '../domain/host-os-facts';
import { UnsupportedBackendError, UnsupportedHostOsError } from '../domain/render-errors';
import { selectTarget } from './target-selector';

const none = { hasNetworkScriptsDir: false, hasNetworkScriptsIfup: false, hasNetplan: false, hasNetworkManager: false, hasNetworkManagerOvs: false, hasIfupdown: false, hasIfupdown2: false, hasOpenvswitch: true };
const facts = (id: string, versionId: string, tools: Partial<HostOsFacts> = {}, idLike: string[] = []): HostOsFacts => ({
  osRelease: { id, idLike, versionId },
  ...none,
  ...tools,
});
const scripts = { hasNetworkScriptsDir: true, hasNetworkScriptsIfup: true };

describe('selectTarget', () => {
  it.each([
    ['CentOS 7 linux', facts('centos', '7', scripts), 'linux', 'el-network-scripts-linux'],
    ['CentOS 7 ovs', facts('centos', '7', scripts), 'ovs', 'el-network-scripts-ovs'],
    ['Rocky 8 with network-scripts', facts('rocky', '8.9', { ...scripts, hasNetworkManager: true }, ['rhel', 'centos', 'fedora']), 'linux', 'el-network-scripts-linux'],
    ['Rocky 8 with network-scripts, ovs', facts('rocky', '8.9', { ...scripts, hasNetworkManager: true }), 'ovs', 'el-network-scripts-ovs'],
    ['Alma 8 without the network-scripts ifup', facts('almalinux', '8.10', { hasNetworkScriptsDir: true, hasNetworkManager: true }), 'linux', 'networkmanager-linux'],
    ['RHEL 9', facts('rhel', '9.4', { hasNetworkManager: true }), 'linux', 'networkmanager-linux'],
    ['an EL derivative known only by ID_LIKE', facts('eurolinux', '9.2', { hasNetworkManager: true }, ['rhel', 'fedora']), 'linux', 'networkmanager-linux'],
    ['RHEL 9 ovs', facts('rhel', '9.4', { hasNetworkManager: true, hasNetworkManagerOvs: true }), 'ovs', 'networkmanager-ovs'],
    ['Alma 8 ovs without the network-scripts ifup', facts('almalinux', '8.10', { hasNetworkScriptsDir: true, hasNetworkManager: true, hasNetworkManagerOvs: true }), 'ovs', 'networkmanager-ovs'],
    ['Fedora 40 ovs', facts('fedora', '40', { hasNetworkManager: true, hasNetworkManagerOvs: true }), 'ovs', 'networkmanager-ovs'],
    ['Debian 12 ifupdown', facts('debian', '12', { hasIfupdown: true }), 'linux', 'debian-ifupdown-linux'],
    ['Debian 12 ifupdown2, ovs', facts('debian', '12', { hasIfupdown2: true }), 'ovs', 'debian-ifupdown-ovs'],
    ['Ubuntu 16.04 ifupdown (netplan too old to count)', facts('ubuntu', '16.04', { hasIfupdown: true, hasNetplan: true }), 'linux', 'debian-ifupdown-linux'],
    ['Ubuntu 22.04 netplan', facts('ubuntu', '22.04', { hasNetplan: true }), 'linux', 'netplan-linux'],
    ['Ubuntu 18.04 netplan + ifupdown installed', facts('ubuntu', '18.04', { hasNetplan: true, hasIfupdown: true }), 'ovs', 'netplan-ovs'],
    ['Linux Mint (ID_LIKE ubuntu) with netplan', facts('linuxmint', '21', { hasNetplan: true }, ['ubuntu', 'debian']), 'linux', 'netplan-linux'],
  ] as const)('%s → %s', (_label, hostFacts, backend, expected) => {
    expect(selectTarget(hostFacts, backend)).toBe(expected);
  });

  it.each([
    ['CentOS 6', facts('centos', '6', scripts), 'linux', /EL releases before 7/],
    ['CentOS 7 without network-scripts', facts('centos', '7'), 'linux', /EL 7 without network-scripts/],
    ['EL 9 without NetworkManager', facts('rhel', '9'), 'linux', /needs NetworkManager/],
    ['Debian without any network tool', facts('debian', '12'), 'linux', /neither netplan .* nor ifupdown/],
    ['an unknown OS', facts('gentoo', '2.14'), 'linux', /unknown distribution/],
  ] as const)('%s is an UnsupportedHostOsError', (_label, hostFacts, backend, message) => {
    expect(() => selectTarget(hostFacts, backend)).toThrow(UnsupportedHostOsError);
    expect(() => selectTarget(hostFacts, backend)).toThrow(message);
  });

  it('names the os-release values and the supported list in the error', () => {
    expect(() => selectTarget(facts('arch', 'rolling', {}, ['archlinux']), 'linux')).toThrow(
      /ID="arch" ID_LIKE="archlinux" VERSION_ID="rolling".*supported: EL 7 \(network-scripts\); .*Ubuntu 18\.04\+/,
    );
  });

  it('refuses OVS when openvswitch is absent, naming the fix', () => {
    expect(() => selectTarget(facts('ubuntu', '22.04', { hasNetplan: true, hasOpenvswitch: false }), 'ovs')).toThrow(UnsupportedBackendError);
    expect(() => selectTarget(facts('ubuntu', '22.04', { hasNetplan: true, hasOpenvswitch: false }), 'ovs')).toThrow(/openvswitch is not installed.*install openvswitch/);
  });

  it("refuses OVS on EL 9 without NetworkManager, without its OVS plugin, and without openvswitch, naming the fix", () => {
    expect(() => selectTarget(facts('rhel', '9'), 'ovs')).toThrow(/needs NetworkManager/);
    const noPlugin = () => selectTarget(facts('rhel', '9', { hasNetworkManager: true }), 'ovs');
    expect(noPlugin).toThrow(UnsupportedBackendError);
    expect(noPlugin).toThrow(/OVS plugin is not installed .*install NetworkManager-ovs and restart NetworkManager, or choose backend linux/);
    expect(selectTarget(facts('rhel', '9', { hasNetworkManager: true }), 'linux')).toBe('networkmanager-linux');
    expect(() => selectTarget(facts('rhel', '9', { hasNetworkManager: true, hasNetworkManagerOvs: true, hasOpenvswitch: false }), 'ovs')).toThrow(/openvswitch is not installed/);
  });

  it("refuses an Ubuntu host whose netplan hands its devices to NetworkManager, naming the file and the fix; NetworkManager merely installed is no reason", () => {
    const desktop = facts('ubuntu', '24.04', { hasNetplan: true, hasNetworkManager: true, netplanNetworkManager: '/etc/netplan/01-network-manager-all.yaml' });
    for (const backend of ['linux', 'ovs'] as const) {
      expect(() => selectTarget(desktop, backend)).toThrow(UnsupportedHostOsError);
      expect(() => selectTarget(desktop, backend)).toThrow(
        /netplan hands this host's devices to NetworkManager \(renderer: NetworkManager in \/etc\/netplan\/01-network-manager-all\.yaml\).*fix: hand the host's network to systemd-networkd/,
      );
    }
    expect(selectTarget(facts('ubuntu', '24.04', { hasNetplan: true, hasNetworkManager: true }), 'linux')).toBe('netplan-linux');
    // a renderer nobody runs: hostnet's file makes networkd the renderer and nothing else held the NICs
    expect(selectTarget(facts('ubuntu', '24.04', { hasNetplan: true, netplanNetworkManager: '/etc/netplan/01-network-manager-all.yaml' }), 'linux')).toBe('netplan-linux');
  });

  it('refuses an unknown backend', () => {
    expect(() => selectTarget(facts('debian', '12', { hasIfupdown: true }), 'vpp' as never)).toThrow(/backend "vpp"/);
  });
});
