import { centosLinuxBridgeIntent, centosOvsIntent, ubuntuLinuxBridgeIntent, ubuntuOvsIntent } from '../test/fixtures/reference-intents';
import { RenderError, UnsupportedBackendError } from './domain/render-errors';
import { renderHost } from './render-host';

const fileOf = (config: ReturnType<typeof renderHost>, path: string) => config.files.find((f) => f.path === path)!.content;

describe('renderHost', () => {
  it('refuses a target whose backend differs from the intent', () => {
    expect(() => renderHost(centosOvsIntent, 'el-network-scripts-linux')).toThrow(UnsupportedBackendError);
    expect(() => renderHost(centosLinuxBridgeIntent, 'netplan-ovs')).toThrow(/renders backend ovs but the intent's backend is linux/);
  });

  it('renders extra static routes on every target (the default route stays the gateway)', () => {
    const route = { to: '10.1.0.0/16', via: '192.168.100.1', dev: 'cloudbr0' };
    const linux = { ...centosLinuxBridgeIntent, routes: [route] };
    const ovs = { ...centosOvsIntent, routes: [route] };
    expect(fileOf(renderHost(linux, 'el-network-scripts-linux'), '/etc/sysconfig/network-scripts/route-cloudbr0')).toBe('10.1.0.0/16 via 192.168.100.1 dev cloudbr0\n');
    expect(fileOf(renderHost(ovs, 'el-network-scripts-ovs'), '/etc/sysconfig/network-scripts/route-cloudbr0')).toBe('10.1.0.0/16 via 192.168.100.1 dev cloudbr0\n');
    expect(fileOf(renderHost(linux, 'debian-ifupdown-linux'), '/etc/network/interfaces')).toContain('bridge_maxwait 1\npost-up ip route replace 10.1.0.0/16 via 192.168.100.1 dev cloudbr0\n');
    expect(fileOf(renderHost({ ...ubuntuOvsIntent, routes: [{ ...route, via: '172.16.152.2' }] }, 'debian-ifupdown-ovs'), '/etc/network/interfaces')).toContain('post-up ip route replace 10.1.0.0/16 via 172.16.152.2 dev cloudbr0\n');
    expect(fileOf(renderHost(linux, 'netplan-linux'), '/etc/netplan/60-hostnet.yaml')).toContain('- to: 0.0.0.0/0\n          via: 192.168.100.1\n        - to: 10.1.0.0/16\n          via: 192.168.100.1\n');
    expect(fileOf(renderHost(linux, 'networkmanager-linux'), '/etc/NetworkManager/system-connections/cloudbr0.nmconnection')).toContain('method=manual\nroute1=10.1.0.0/16,192.168.100.1\n');
    // Without extra routes no route file is written (the goldens prove the rest of the output).
    expect(renderHost(centosLinuxBridgeIntent, 'el-network-scripts-linux').files.some((f) => f.path.includes('/route-'))).toBe(false);
  });

  it('EL keeps the DNS servers and search domain on the management bridge with Linux bridges and with OVS alike', () => {
    const dns = { nameservers: ['10.0.0.53'], search: ['lab.example'] };
    const linux = fileOf(renderHost({ ...centosLinuxBridgeIntent, dns }, 'el-network-scripts-linux'), '/etc/sysconfig/network-scripts/ifcfg-cloudbr0');
    const ovs = fileOf(renderHost({ ...centosOvsIntent, dns }, 'el-network-scripts-ovs'), '/etc/sysconfig/network-scripts/ifcfg-cloudbr0');
    for (const file of [linux, ovs]) expect(file).toContain('DNS1=10.0.0.53\nDOMAIN="lab.example"\n');
  });

  it('refuses an unknown target, listing the valid ones', () => {
    expect(() => renderHost(centosLinuxBridgeIntent, 'gentoo' as never)).toThrow(RenderError);
    expect(() => renderHost(centosLinuxBridgeIntent, 'gentoo' as never)).toThrow(/el-network-scripts-linux, .*networkmanager-linux/);
  });

  it('ifupdown2 hosts: members listed on the bond, ifreload -a to activate', () => {
    const config = renderHost(ubuntuLinuxBridgeIntent, 'debian-ifupdown-linux', { ifupdown2: true });
    const interfaces = fileOf(config, '/etc/network/interfaces');
    expect(interfaces).toContain('bond-slaves eth0 eth1\n');
    expect(interfaces).not.toContain('bond-master');
    expect(config.steps.map((s) => s.argv)).toEqual([['sysctl', '-e', '-p', '/etc/sysctl.d/60-hostnet-bridge.conf'], ['ifreload', '-a']]);
  });

  it('LACP bonds carry lacp-rate and xmit hash on linux targets, lacp + lacp-time on OVS', () => {
    const linux = structuredClone(ubuntuLinuxBridgeIntent);
    linux.bonds[0] = { ...linux.bonds[0], mode: '802.3ad', lacpRate: 'fast', xmitHashPolicy: 'layer3+4' };
    expect(fileOf(renderHost(linux, 'debian-ifupdown-linux'), '/etc/network/interfaces')).toContain(
      'bond-mode 802.3ad\nbond-miimon 100\nbond-lacp-rate fast\nbond-xmit-hash-policy layer3+4\nbond-slaves none\n',
    );
    expect(fileOf(renderHost(linux, 'el-network-scripts-linux'), '/etc/sysconfig/network-scripts/ifcfg-bond0')).toContain(
      "BONDING_OPTS='mode=4 miimon=100 lacp_rate=fast xmit_hash_policy=layer3+4'",
    );
    expect(fileOf(renderHost(linux, 'netplan-linux'), '/etc/netplan/60-hostnet.yaml')).toContain('lacp-rate: fast\n        transmit-hash-policy: layer3+4\n');
    const ovs = structuredClone(ubuntuOvsIntent);
    ovs.bonds[0] = { ...ovs.bonds[0], mode: 'balance-tcp', lacp: 'active', lacpRate: 'fast' };
    expect(fileOf(renderHost(ovs, 'debian-ifupdown-ovs'), '/etc/network/interfaces')).toContain(
      'ovs_options bond_mode=balance-tcp lacp=active other_config:lacp-time=fast other_config:bond-detect-mode=miimon',
    );
  });

  it('the netdev datapath option reaches every OVS target', () => {
    const options = { ovsDatapathType: 'netdev' as const };
    expect(fileOf(renderHost(centosOvsIntent, 'el-network-scripts-ovs', options), '/etc/sysconfig/network-scripts/ifcfg-cloudbr0')).toContain(
      'OVS_EXTRA="set bridge cloudbr0 datapath_type=netdev"\nHOTPLUG=no\n',
    );
    expect(fileOf(renderHost(ubuntuOvsIntent, 'debian-ifupdown-ovs', options), '/etc/network/interfaces')).toContain(
      'ovs_ports bond0\novs_extra set bridge cloudbr0 datapath_type=netdev\n',
    );
    expect(renderHost(ubuntuOvsIntent, 'netplan-ovs', options).steps[0].argv).toEqual(['ovs-vsctl', '--may-exist', 'add-br', 'cloudbr0', '--', 'set', 'bridge', 'cloudbr0', 'datapath_type=netdev']);
  });

  it('NetworkManager uuids are stable per host and name, and differ across hosts', () => {
    const uuidOf = (hostId: string) => {
      const intent = { ...centosLinuxBridgeIntent, hostId };
      return /uuid=(.*)/.exec(fileOf(renderHost(intent, 'networkmanager-linux'), '/etc/NetworkManager/system-connections/cloudbr0.nmconnection'))![1];
    };
    expect(uuidOf('host-a')).toBe(uuidOf('host-a'));
    expect(uuidOf('host-a')).not.toBe(uuidOf('host-b'));
    expect(uuidOf('host-a')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('netplan and keyfiles are written 0600, everything else 0644 (the splinters hook 0755)', () => {
    expect(renderHost(ubuntuLinuxBridgeIntent, 'netplan-linux').files.map((f) => f.mode)).toEqual([0o600]);
    expect(new Set(renderHost(centosLinuxBridgeIntent, 'networkmanager-linux').files.map((f) => f.mode))).toEqual(new Set([0o600]));
    expect(renderHost(centosOvsIntent, 'el-network-scripts-ovs').files.find((f) => f.path === '/sbin/ifup-localovs')!.mode).toBe(0o755);
  });
});
