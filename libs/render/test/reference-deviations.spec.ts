import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderHost } from '../src/render-host';
import { centosLinuxBridgeIntent, centosOvsIntent, ubuntuLinuxBridgeIntent, ubuntuOvsIntent } from './fixtures/reference-intents';

/**
 * Where the goldens differ from the reference (fixtures/kvm-networking-for-cloudstack.txt, a copy of
 * shared/reference/), and why. Each test reads the reference itself, so a change to either side is noticed.
 */
const reference = readFileSync(join(__dirname, 'fixtures/kvm-networking-for-cloudstack.txt'), 'utf8');
const fileOf = (config: ReturnType<typeof renderHost>, path: string) => config.files.find((f) => f.path === path)?.content ?? '';

describe('deviations from the reference', () => {
  const elLinux = renderHost(centosLinuxBridgeIntent, 'el-network-scripts-linux');
  const elOvs = renderHost(centosOvsIntent, 'el-network-scripts-ovs');
  const debOvs = renderHost(ubuntuOvsIntent, 'debian-ifupdown-ovs');

  it('bond1 is eth2+eth3: the prose says "eth1 + eth2", but eth1 is already in bond0 and every command/file uses eth2 eth3', () => {
    expect(reference).toContain('Network interfaces eth1 + eth2 are bonded as bond1.');
    expect(reference).toContain('ovs-vsctl add-bond cloudbr1 bond1 eth2 eth3');
    expect(fileOf(elLinux, '/etc/sysconfig/network-scripts/ifcfg-eth2')).toContain('MASTER=bond1\n');
    expect(fileOf(elOvs, '/etc/sysconfig/network-scripts/ifcfg-bond1')).toContain('BOND_IFACES="eth2 eth3"\n');
  });

  it('the VLAN file is ifcfg-bond0.100, not ifcfg-bond.100: initscripts takes the interface from the file suffix (ifup bond0.100 reads ifcfg-bond0.100)', () => {
    expect(reference).toContain('# vi /etc/sysconfig/network-scripts/ifcfg-bond.100\nDEVICE=bond0.100\n');
    const paths = elLinux.files.map((f) => f.path);
    expect(paths).toContain('/etc/sysconfig/network-scripts/ifcfg-bond0.100');
    expect(paths).not.toContain('/etc/sysconfig/network-scripts/ifcfg-bond.100');
    expect(fileOf(elLinux, '/etc/sysconfig/network-scripts/ifcfg-bond0.100')).toMatch(/^DEVICE=bond0\.100\n/);
  });

  it('the VLAN file ends with NM_CONTROLLED=no like every other EL file of the reference: without it NetworkManager\'s ifcfg-rh plugin takes bond0.100 while network-scripts runs the rest', () => {
    expect(reference).toContain('ifcfg-bond.100\nDEVICE=bond0.100\nVLAN=yes\nBOOTPROTO=static\nONBOOT=yes\nTYPE=Unknown\nBRIDGE=cloudbr100\n\n');
    const vlan = fileOf(elLinux, '/etc/sysconfig/network-scripts/ifcfg-bond0.100');
    expect(vlan).toMatch(/\nBRIDGE=cloudbr100\nNM_CONTROLLED=no\n$/);
    const others = elLinux.files.filter((f) => f.path.includes('/ifcfg-') && !f.path.endsWith('bond0.100'));
    expect(others.length).toBeGreaterThan(0);
    for (const f of others) expect(f.content).toContain('NM_CONTROLLED=no\n');
  });

  it('no HWADDR line: the reference\'s 00:0C:12:xx:xx:xx is a placeholder; HWADDR is written only when the profile pins a real MAC', () => {
    expect(reference).toContain('HWADDR=00:0C:12:xx:xx:xx');
    expect(elLinux.files.some((f) => f.content.includes('HWADDR'))).toBe(false);
    const pinned = structuredClone(centosLinuxBridgeIntent);
    pinned.nics[0].hwaddr = '00:0C:29:B5:59:32';
    const eth0 = fileOf(renderHost(pinned, 'el-network-scripts-linux'), '/etc/sysconfig/network-scripts/ifcfg-eth0');
    expect(eth0).toContain('BOOTPROTO=none\nHWADDR=00:0C:29:B5:59:32\nNM_CONTROLLED=no\n'); // the reference's position
  });

  it('Ubuntu OVS miimon: OVS ignores other_config:miimon; the keys are bond-detect-mode=miimon + bond-miimon-interval', () => {
    expect(reference).toContain('ovs_options bond_mode=active-backup other_config:miimon=100');
    const interfaces = fileOf(debOvs, '/etc/network/interfaces');
    expect(interfaces).not.toContain('other_config:miimon=');
    expect(interfaces).toContain('ovs_options bond_mode=active-backup other_config:bond-detect-mode=miimon other_config:bond-miimon-interval=100\n');
  });

  it('Ubuntu OVS fake bridge: the reference edits an EL ifcfg path; on Ubuntu it is an OVSBridge stanza whose ovs_options are "<parent> <tag>"', () => {
    expect(reference).toContain('# ovs-vsctl add-br cloudbr100 cloudbr0 100\n# vi /etc/sysconfig/network-scripts/ifcfg-cloudbr100\n\nConclusion');
    expect(debOvs.files.some((f) => f.path.startsWith('/etc/sysconfig'))).toBe(false);
    // Debian's hook runs `ovs-vsctl -- --may-exist add-br "${IFACE}" ${IF_OVS_OPTIONS}` = add-br cloudbr100 cloudbr0 100.
    expect(fileOf(debOvs, '/etc/network/interfaces')).toMatch(/\nallow-ovs cloudbr100\niface cloudbr100 inet manual\novs_type OVSBridge\novs_options cloudbr0 100\n$/);
  });

  it('EL OVS fake bridge gets OVS_OPTIONS="cloudbr0 100": ifup-ovs runs add-br $DEVICE $OVS_OPTIONS, which fails on a fake bridge without them (proved against real OVS in test/integration/render)', () => {
    const cloudbr100 = fileOf(elOvs, '/etc/sysconfig/network-scripts/ifcfg-cloudbr100');
    expect(cloudbr100).toContain('OVS_OPTIONS="cloudbr0 100"\nHOTPLUG=no\n');
    expect(reference).not.toContain('OVS_OPTIONS="cloudbr0 100"');
  });

  it('boot modules are a drop-in (/etc/modules-load.d/hostnet.conf) with the reference\'s bonding/bridge lines; /etc/modules, the admin\'s, is never written', () => {
    const debLinux = renderHost(ubuntuLinuxBridgeIntent, 'debian-ifupdown-linux');
    expect(reference).toContain('# vi /etc/modules\n# /etc/modules: kernel modules to load at boot time.\n');
    expect(reference).toContain('\nloop\nlp\nrtc\nbonding\nbridge\n');
    expect(fileOf(debLinux, '/etc/modules-load.d/hostnet.conf')).toBe('bonding\nbridge\n');
    expect(fileOf(debOvs, '/etc/modules-load.d/hostnet.conf')).toBe('bonding\n');
    for (const config of [debLinux, debOvs]) expect(config.files.map((f) => f.path)).not.toContain('/etc/modules');
  });

  it('sysctl and the bridge blacklist are drop-ins rather than edits of /etc/sysctl.conf and blacklist.conf (whole files hostnet owns); their lines are the reference\'s', () => {
    const sysctl = fileOf(debOvs, '/etc/sysctl.d/60-hostnet-bridge.conf');
    expect(reference).toContain(`# vi /etc/sysctl.conf\n${sysctl}`);
    expect(fileOf(debOvs, '/etc/modprobe.d/hostnet-blacklist-bridge.conf')).toBe('blacklist bridge\n');
    expect(debOvs.files.map((f) => f.path)).not.toContain('/etc/sysctl.conf');
  });
});
