import { centosLinuxBridgeIntent, ubuntuLinuxBridgeIntent } from '../../test/fixtures/reference-intents';
import type { PreviousFiles } from '../activation/activation-steps';
import { RenderError } from '../domain/render-errors';
import { renderHost } from '../render-host';
import type { LiveState } from '@hostnet/intent/domain/live-state';
import { withForeignConfigsNeutralised } from './foreign-configs';
import { filesAfterRun } from '../../test/support/files-after-run';

const files = (entries: Record<string, string | undefined>): PreviousFiles => new Map(Object.entries(entries).map(([path, content]) => [path, { content }]));

/** A typical Ubuntu installer's file: eth0 with the address and the default route. */
const INSTALLER_NETPLAN = `network:
  version: 2
  ethernets:
    eth0:
      addresses: [192.168.100.20/24]
      routes:
        - to: default
          via: 192.168.100.1
`;

const WIRED_CONNECTION = `[connection]
id=Wired connection 1
uuid=5e0c3a6b-1f0d-3c8e-9a59-1f3f1b5c2d11
type=ethernet
autoconnect-priority=-999
interface-name=eth0

[ipv4]
method=auto
`;

describe('installer and other configs that name interfaces hostnet manages', () => {
  it('netplan: the installer file naming eth0 is moved aside in the same run, and a re-run leaves everything alone', () => {
    const before = files({ '/etc/netplan/00-installer-config.yaml': INSTALLER_NETPLAN, '/etc/netplan/90-other.yaml': 'network:\n  version: 2\n  ethernets:\n    ens9: {dhcp4: true}\n' });
    const config = renderHost(ubuntuLinuxBridgeIntent, 'netplan-linux', { previousFiles: before });
    // the veth drop-in is netplan-linux's to remove when no relabel needs it; removing an absent file is nothing
    expect(config.removes).toEqual(['/etc/systemd/system/systemd-networkd.service.d/60-hostnet-veth.conf', '/etc/netplan/00-installer-config.yaml']);
    expect(config.neutralised).toEqual([{ path: '/etc/netplan/00-installer-config.yaml', interfaces: ['eth0'] }]);

    const again = renderHost(ubuntuLinuxBridgeIntent, 'netplan-linux', { previousFiles: filesAfterRun(config, before) });
    expect(again.neutralised).toBeUndefined();
    expect(again.removes).toEqual(['/etc/systemd/system/systemd-networkd.service.d/60-hostnet-veth.conf']);
  });

  it('netplan: a file that also configures an interface hostnet does not manage is refused, naming both and the fix', () => {
    const mixed = `${INSTALLER_NETPLAN}    ens9:\n      dhcp4: true\n`;
    const render = () => renderHost(ubuntuLinuxBridgeIntent, 'netplan-linux', { previousFiles: files({ '/etc/netplan/00-installer-config.yaml': mixed }) });
    expect(render).toThrow(RenderError);
    expect(render).toThrow('/etc/netplan/00-installer-config.yaml configures eth0 (managed by hostnet) and ens9 (not): it cannot be moved aside whole; fix: move ens9 into a file of its own, or remove eth0 from it');
  });

  it('netplan: members named only inside a bond or bridge count, and a file netplan cannot read is refused', () => {
    const bond = 'network:\n  version: 2\n  bonds:\n    bond9:\n      interfaces: [eth2, eth3]\n';
    expect(() => renderHost(ubuntuLinuxBridgeIntent, 'netplan-linux', { previousFiles: files({ '/etc/netplan/50-bond.yaml': bond }) })).toThrow(
      'configures eth2, eth3 (managed by hostnet) and bond9 (not)',
    );
    expect(() => renderHost(ubuntuLinuxBridgeIntent, 'netplan-linux', { previousFiles: files({ '/etc/netplan/00-x.yaml': 'network: [' }) })).toThrow(/00-x.yaml: not valid YAML .*fix: repair or remove the file/);
    expect(() => renderHost(ubuntuLinuxBridgeIntent, 'netplan-linux', { previousFiles: files({ '/etc/netplan/00-big.yaml': undefined }) })).toThrow(/00-big.yaml: too large to read/);
  });

  it("NetworkManager: the installer's keyfile and ifcfg-eth0 bound to a managed NIC are moved aside; profiles of other NICs stay", () => {
    const before = files({
      '/etc/NetworkManager/system-connections/ens3.nmconnection': WIRED_CONNECTION,
      '/etc/NetworkManager/system-connections/ens9.nmconnection': WIRED_CONNECTION.replace('interface-name=eth0', 'interface-name=ens9'),
      '/etc/sysconfig/network-scripts/ifcfg-eth0': 'DEVICE=eth0\nBOOTPROTO=dhcp\nONBOOT=yes\n',
    });
    const config = renderHost(centosLinuxBridgeIntent, 'networkmanager-linux', { previousFiles: before });
    expect(config.neutralised).toEqual([
      { path: '/etc/NetworkManager/system-connections/ens3.nmconnection', interfaces: ['eth0'] },
      { path: '/etc/sysconfig/network-scripts/ifcfg-eth0', interfaces: ['eth0'] },
    ]);
  });

  it("NetworkManager: the profile it saves as 'Wired connection 1' is moved aside like any other, and a re-run leaves everything alone", () => {
    const before = files({ '/etc/NetworkManager/system-connections/Wired connection 1.nmconnection': WIRED_CONNECTION });
    const config = renderHost(centosLinuxBridgeIntent, 'networkmanager-linux', { previousFiles: before });
    expect(config.neutralised).toEqual([{ path: '/etc/NetworkManager/system-connections/Wired connection 1.nmconnection', interfaces: ['eth0'] }]);
    expect(config.removes).toContain('/etc/NetworkManager/system-connections/Wired connection 1.nmconnection');

    const again = renderHost(centosLinuxBridgeIntent, 'networkmanager-linux', { previousFiles: filesAfterRun(config, before) });
    expect(again.neutralised).toBeUndefined();
  });

  it('NetworkManager: a keyfile in /etc without the .nmconnection suffix is a profile it loads (moved aside); its backups, temporaries and /run names without the suffix are not', () => {
    const dir = '/etc/NetworkManager/system-connections';
    const before = files({
      [`${dir}/eth0`]: WIRED_CONNECTION,
      [`${dir}/eth0~`]: WIRED_CONNECTION,
      [`${dir}/.eth0.swp`]: WIRED_CONNECTION,
      [`${dir}/eth0.Ab12Cd`]: WIRED_CONNECTION,
      [`${dir}/eth0.pem`]: WIRED_CONNECTION,
      '/run/NetworkManager/system-connections/eth0': WIRED_CONNECTION,
    });
    const config = renderHost(centosLinuxBridgeIntent, 'networkmanager-linux', { previousFiles: before });
    expect(config.neutralised).toEqual([{ path: `${dir}/eth0`, interfaces: ['eth0'] }]);
    expect(config.removes).toContain(`${dir}/eth0`);
  });

  it.each([
    ['a tab', 'Wired\tconnection 1.nmconnection'],
    ['a double space', 'Wired  connection 1.nmconnection'],
    ['a leading space', ' Wired connection 1.nmconnection'],
    ['a glob character', 'Wired*connection 1.nmconnection'],
    ['a quote', "Wired 'connection' 1.nmconnection"],
  ])("NetworkManager: a profile whose file name has %s, which the run's backup cannot take, is refused with the fix", (_label, name) => {
    const before = files({ [`/etc/NetworkManager/system-connections/${name}`]: WIRED_CONNECTION });
    expect(() => renderHost(centosLinuxBridgeIntent, 'networkmanager-linux', { previousFiles: before })).toThrow(
      new RenderError(
        `${JSON.stringify(`/etc/NetworkManager/system-connections/${name}`)} configures eth0 (managed by hostnet), and its name has characters the run's backup does not take (only A-Za-z0-9._@+:/- and single spaces inside a NetworkManager keyfile's name); fix: rename it to such a name (NetworkManager reads any *.nmconnection name) or delete it`,
      ),
    );
  });

  it('network-scripts: a space is never taken outside NetworkManager keyfile names', () => {
    const before = files({ '/etc/sysconfig/network-scripts/ifcfg-System eth1': 'DEVICE=eth1\nONBOOT=yes\n' });
    expect(() => renderHost(centosLinuxBridgeIntent, 'el-network-scripts-linux', { previousFiles: before })).toThrow(/"\/etc\/sysconfig\/network-scripts\/ifcfg-System eth1" configures eth1 .*fix: rename it/);
  });

  it('network-scripts: an ifcfg file of another name bound to a managed device (DEVICE=) is moved aside; the files hostnet writes are not', () => {
    const before = files({
      '/etc/sysconfig/network-scripts/ifcfg-System_eth1': 'NAME="System eth1"\nDEVICE="eth1"\nONBOOT=yes\n',
      '/etc/sysconfig/network-scripts/ifcfg-eth0': 'DEVICE=eth0\nIPADDR=192.168.100.20\n',
      '/etc/sysconfig/network-scripts/ifcfg-lo': 'DEVICE=lo\n',
    });
    const config = renderHost(centosLinuxBridgeIntent, 'el-network-scripts-linux', { previousFiles: before });
    expect(config.neutralised).toEqual([{ path: '/etc/sysconfig/network-scripts/ifcfg-System_eth1', interfaces: ['eth1'] }]);
    expect(config.removes).toContain('/etc/sysconfig/network-scripts/ifcfg-System_eth1');
    expect(config.removes).not.toContain('/etc/sysconfig/network-scripts/ifcfg-eth0');
  });

  it.each(['ifcfg-eth1.bak', 'ifcfg-eth1~', 'ifcfg-eth1.orig', 'ifcfg-eth1.old', 'ifcfg-eth1.rpmnew', 'ifcfg-eth1.rpmorig', 'ifcfg-eth1.rpmsave'])(
    'network-scripts: %s, a backup initscripts passes over (is_ignored_file), is neither moved aside nor refused',
    (name) => {
      // it names a device hostnet does not manage beside one it does: counted, it would refuse the run
      const before = files({ [`/etc/sysconfig/network-scripts/${name}`]: 'DEVICE=eth1\nBRIDGE=virbr9\nONBOOT=yes\n' });
      const config = renderHost(centosLinuxBridgeIntent, 'el-network-scripts-linux', { previousFiles: before });
      expect(config.neutralised).toBeUndefined();
      expect(config.removes).not.toContain(`/etc/sysconfig/network-scripts/${name}`);
    },
  );

  it("NetworkManager: the backups its ifcfg-rh plugin passes over are left alone; an .rpmsave, which it reads, is moved aside", () => {
    const ignored = ['ifcfg-eth0.bak', 'ifcfg-eth0~', 'ifcfg-eth0.orig', 'ifcfg-eth0.rej', 'ifcfg-eth0.RPMNEW', 'ifcfg-eth0.augnew', 'ifcfg-eth0.augtmp', 'ifcfg-eth0;5f3a2b1c'];
    const before = files(Object.fromEntries([...ignored, 'ifcfg-eth0.rpmsave'].map((n) => [`/etc/sysconfig/network-scripts/${n}`, 'DEVICE=eth0\nBOOTPROTO=dhcp\nONBOOT=yes\n'])));
    const config = renderHost(centosLinuxBridgeIntent, 'networkmanager-linux', { previousFiles: before });
    expect(config.neutralised).toEqual([{ path: '/etc/sysconfig/network-scripts/ifcfg-eth0.rpmsave', interfaces: ['eth0'] }]);
  });

  it("a target's system does not read the other systems' directories: nothing is moved there", () => {
    const before = files({ '/etc/netplan/00-installer-config.yaml': INSTALLER_NETPLAN, '/etc/NetworkManager/system-connections/w.nmconnection': WIRED_CONNECTION });
    expect(renderHost(centosLinuxBridgeIntent, 'el-network-scripts-linux', { previousFiles: before }).neutralised).toBeUndefined();
  });
});

describe('configs bound to a managed NIC by MAC, profile uuid or name pattern, and those hostnet cannot move', () => {
  const MAC = { eth0: '52:54:00:aa:00:01', eth1: '52:54:00:aa:00:02', eth2: '52:54:00:aa:00:03', eth3: '52:54:00:aa:00:04', eth4: '52:54:00:aa:00:05' };
  /** eth0 and eth1 enslaved to bond0, both running on eth0's MAC: facts' macs hold each one's permanent MAC. */
  const live = (extra: string[] = []): LiveState => ({
    links: [...['eth0', 'eth1', 'eth2', 'eth3', ...extra].map((name) => ({ name, kind: 'nic' as const, up: true })), { name: 'bond0', kind: 'bond', members: ['eth0', 'eth1'], up: true }],
    addresses: [],
    routes: [],
    macs: Object.fromEntries(Object.entries(MAC).filter(([name]) => name !== 'eth4' || extra.includes('eth4'))),
  });
  const neutralise = (intent: typeof centosLinuxBridgeIntent, target: Parameters<typeof renderHost>[1], before: PreviousFiles, state: LiveState = live()) =>
    withForeignConfigsNeutralised(renderHost(intent, target), intent, before, state);

  /** What cloud-init's NetworkManager renderer writes for a bond of eth0 and eth1 (cloudinit/net/network_manager.py). */
  const BOND_UUID = '0f1e2d3c-4b5a-5968-8776-a5b4c3d2e1f0';
  const cloudInitPort = (nic: 'eth0' | 'eth1') =>
    `# Generated by cloud-init. Changes will be lost.\n\n[connection]\nid=cloud-init ${nic}\nuuid=6c7d8e9f-0a1b-5c2d-8e3f-4a5b6c7d8e9${nic.slice(-1)}\nautoconnect-priority=120\ntype=ethernet\nslave-type=bond\nmaster=${BOND_UUID}\n\n[ethernet]\nmac-address=${MAC[nic].toUpperCase()}\n`;
  const CLOUD_INIT_BOND = `[connection]\nid=cloud-init bond0\nuuid=${BOND_UUID}\ntype=bond\ninterface-name=bond0\n\n[bond]\nmode=active-backup\n`;

  it("NetworkManager: cloud-init's ports, bound by permanent MAC with no interface-name and naming their bond by uuid, are moved aside with the bond", () => {
    const before = files({
      '/etc/NetworkManager/system-connections/cloud-init-bond0.nmconnection': CLOUD_INIT_BOND,
      '/etc/NetworkManager/system-connections/cloud-init-eth0.nmconnection': cloudInitPort('eth0'),
      '/etc/NetworkManager/system-connections/cloud-init-eth1.nmconnection': cloudInitPort('eth1'),
    });
    const config = neutralise(centosLinuxBridgeIntent, 'networkmanager-linux', before);
    expect(config.neutralised).toEqual([
      { path: '/etc/NetworkManager/system-connections/cloud-init-bond0.nmconnection', interfaces: ['bond0'] },
      { path: '/etc/NetworkManager/system-connections/cloud-init-eth0.nmconnection', interfaces: ['bond0', 'eth0'] },
      { path: '/etc/NetworkManager/system-connections/cloud-init-eth1.nmconnection', interfaces: ['bond0', 'eth1'] },
    ]);
    expect(neutralise(centosLinuxBridgeIntent, 'networkmanager-linux', filesAfterRun(config, before)).neutralised).toBeUndefined();
  });

  it('NetworkManager: a profile bound by the MAC of a NIC hostnet does not manage stays, and so does one whose MAC no NIC has', () => {
    const other = `[connection]\nid=spare\ntype=ethernet\n\n[ethernet]\nmac-address=${MAC.eth4}\n`;
    const before = files({ '/etc/NetworkManager/system-connections/spare.nmconnection': other });
    expect(neutralise(centosLinuxBridgeIntent, 'networkmanager-linux', before, live(['eth4'])).neutralised).toBeUndefined();
    expect(neutralise(centosLinuxBridgeIntent, 'networkmanager-linux', before).neutralised).toBeUndefined();
  });

  it('netplan: a NIC matched by MAC without set-name, and NICs matched by a name pattern, are the live NICs they match', () => {
    const byMac = "network:\n  version: 2\n  ethernets:\n    nic0:\n      match:\n        macaddress: '52:54:00:aa:00:02'\n      dhcp4: true\n";
    const byGlob = "network:\n  version: 2\n  ethernets:\n    all:\n      match:\n        name: 'eth[0-3]'\n      dhcp4: true\n";
    const before = files({ '/etc/netplan/50-cloud-init.yaml': byMac, '/etc/netplan/51-all.yaml': byGlob });
    expect(neutralise(ubuntuLinuxBridgeIntent, 'netplan-linux', before).neutralised).toEqual([
      { path: '/etc/netplan/50-cloud-init.yaml', interfaces: ['eth1'] },
      { path: '/etc/netplan/51-all.yaml', interfaces: ['eth0', 'eth1', 'eth2', 'eth3'] },
    ]);
    // a bond in another file takes the matched NIC in by its id
    const bond = 'network:\n  bonds:\n    bond9:\n      interfaces: [nic0]\n';
    expect(() => neutralise(ubuntuLinuxBridgeIntent, 'netplan-linux', files({ '/etc/netplan/50-cloud-init.yaml': byMac, '/etc/netplan/52-bond.yaml': bond }))).toThrow(
      '/etc/netplan/52-bond.yaml configures eth1 (managed by hostnet) and bond9 (not)',
    );
  });

  it("netplan: a match on the MAC bond members run with (their bond's, here set by hand) is each member's current MAC, which netplan before 0.106 matches: moved aside; NetworkManager matches the permanent one only", () => {
    const BOND_MAC = '02:00:00:00:00:99';
    const running = { ...live(), currentMacs: { eth0: BOND_MAC, eth1: BOND_MAC } };
    const byBondMac = `network:\n  version: 2\n  ethernets:\n    nic0:\n      match:\n        macaddress: '${BOND_MAC.toUpperCase()}'\n      dhcp4: true\n`;
    expect(neutralise(ubuntuLinuxBridgeIntent, 'netplan-linux', files({ '/etc/netplan/50-cloud-init.yaml': byBondMac }), running).neutralised).toEqual([
      { path: '/etc/netplan/50-cloud-init.yaml', interfaces: ['eth0', 'eth1'] },
    ]);
    // a member's permanent MAC still binds it (netplan 0.106 on)
    const byPermanent = "network:\n  version: 2\n  ethernets:\n    nic1:\n      match:\n        macaddress: '52:54:00:aa:00:02'\n      dhcp4: true\n";
    expect(neutralise(ubuntuLinuxBridgeIntent, 'netplan-linux', files({ '/etc/netplan/50-cloud-init.yaml': byPermanent }), running).neutralised).toEqual([
      { path: '/etc/netplan/50-cloud-init.yaml', interfaces: ['eth1'] },
    ]);
    const keyfile = `[connection]\nid=by-bond-mac\ntype=ethernet\n\n[ethernet]\nmac-address=${BOND_MAC}\n`;
    expect(neutralise(centosLinuxBridgeIntent, 'networkmanager-linux', files({ '/etc/NetworkManager/system-connections/b.nmconnection': keyfile }), running).neutralised).toBeUndefined();
  });

  it("netplan: a device type's own renderer key is no device", () => {
    const typed = 'network:\n  ethernets:\n    renderer: networkd\n    eth0: {dhcp4: true}\n';
    expect(neutralise(ubuntuLinuxBridgeIntent, 'netplan-linux', files({ '/etc/netplan/50-cloud-init.yaml': typed })).neutralised).toEqual([{ path: '/etc/netplan/50-cloud-init.yaml', interfaces: ['eth0'] }]);
  });

  it('netplan: a pattern that also matches a NIC hostnet does not manage is refused, and so is a match by driver', () => {
    const glob = "network:\n  ethernets:\n    en:\n      match: {name: 'eth*'}\n      dhcp4: true\n";
    expect(() => neutralise(ubuntuLinuxBridgeIntent, 'netplan-linux', files({ '/etc/netplan/50-cloud-init.yaml': glob }), live(['eth4']))).toThrow(
      '/etc/netplan/50-cloud-init.yaml configures eth0, eth1, eth2, eth3 (managed by hostnet) and eth4 (not): it cannot be moved aside whole',
    );
    const driver = 'network:\n  ethernets:\n    virtio:\n      match: {driver: virtio_net}\n      dhcp4: true\n';
    expect(() => neutralise(ubuntuLinuxBridgeIntent, 'netplan-linux', files({ '/etc/netplan/50-cloud-init.yaml': driver }))).toThrow(
      '/etc/netplan/50-cloud-init.yaml: device virtio matches by driver, so hostnet cannot tell whether it takes eth0, eth1, eth2, eth3 (managed by hostnet); fix: match it by name or macaddress, or remove it',
    );
  });

  it('netplan: a file under /run or /lib naming a managed NIC is refused with the fix; a shadowed one is not read', () => {
    const eth0 = 'network:\n  ethernets:\n    eth0: {dhcp4: true}\n';
    const refuse = (path: string) => () => neutralise(ubuntuLinuxBridgeIntent, 'netplan-linux', files({ [path]: eth0 }));
    expect(refuse('/run/netplan/eth0.yaml')).toThrow(
      '/run/netplan/eth0.yaml configures eth0 (managed by hostnet), and hostnet does not change files under /run or /lib; fix: stop what writes it (on Ubuntu the initramfs writes /run/netplan/<nic>.yaml for an ip= kernel argument) and delete it, then run the host again',
    );
    expect(refuse('/lib/netplan/00-vendor.yaml')).toThrow("fix: put a file of the same name in /etc/netplan that leaves out eth0 (netplan reads only one file of a name, /etc's before /lib's)");
    // /etc's file of the same name is the one netplan reads: /lib's is left alone, /etc's moved aside
    const shadowed = neutralise(ubuntuLinuxBridgeIntent, 'netplan-linux', files({ '/lib/netplan/00-vendor.yaml': eth0, '/etc/netplan/00-vendor.yaml': eth0 }));
    expect(shadowed.neutralised).toEqual([{ path: '/etc/netplan/00-vendor.yaml', interfaces: ['eth0'] }]);
    // a /run file shadows /etc's only until /run is emptied at boot: /etc's is moved aside all the same
    const untilBoot = neutralise(ubuntuLinuxBridgeIntent, 'netplan-linux', files({ '/run/netplan/00-vendor.yaml': 'network: {version: 2}\n', '/etc/netplan/00-vendor.yaml': eth0 }));
    expect(untilBoot.neutralised).toEqual([{ path: '/etc/netplan/00-vendor.yaml', interfaces: ['eth0'] }]);
    expect(() => neutralise(ubuntuLinuxBridgeIntent, 'netplan-linux', files({ '/run/netplan/60-hostnet.yaml': 'network: {}\n' }))).toThrow(
      "/run/netplan/60-hostnet.yaml shadows hostnet's /etc/netplan/60-hostnet.yaml",
    );
  });

  it("netplan: NetworkManager's keyfile for a managed NIC is moved aside too; the profiles netplan generates in /run follow its YAML", () => {
    const before = files({
      '/etc/NetworkManager/system-connections/Wired connection 1.nmconnection': WIRED_CONNECTION,
      '/run/NetworkManager/system-connections/netplan-eth0.nmconnection': WIRED_CONNECTION,
    });
    expect(neutralise(ubuntuLinuxBridgeIntent, 'netplan-linux', before).neutralised).toEqual([{ path: '/etc/NetworkManager/system-connections/Wired connection 1.nmconnection', interfaces: ['eth0'] }]);
  });

  it("NetworkManager: a profile in /run (in memory, or the initrd's) bound to a managed NIC is refused, naming the nmcli fix", () => {
    const before = files({ '/run/NetworkManager/system-connections/default_connection.nmconnection': WIRED_CONNECTION });
    expect(() => neutralise(centosLinuxBridgeIntent, 'networkmanager-linux', before)).toThrow(
      '/run/NetworkManager/system-connections/default_connection.nmconnection configures eth0 (managed by hostnet), and hostnet does not change files under /run or /lib; fix: delete the profile NetworkManager keeps in memory (nmcli connection delete 5e0c3a6b-1f0d-3c8e-9a59-1f3f1b5c2d11) and stop what makes it (nmcli --temporary, the initrd), then run the host again',
    );
  });

  it("NetworkManager: the profiles it generates in /run for devices it does not manage (a VM's tap on a managed bridge) are neither moved nor refused", () => {
    const external = (device: string, master?: string) =>
      `[connection]\nid=${device}\nuuid=0b3c2a1d-1111-4222-8333-44445555666${device.length % 10}\ntype=tun\ninterface-name=${device}\n${master ? `master=${master}\nport-type=bridge\n` : ''}\n[.nmmeta]\nnm-generated=true\nvolatile=true\nexternal=true\n`;
    const before = files({
      '/run/NetworkManager/system-connections/vnet0.nmconnection': external('vnet0', 'cloudbr0'),
      '/run/NetworkManager/system-connections/cloudbr0.nmconnection': external('cloudbr0'),
    });
    const config = neutralise(centosLinuxBridgeIntent, 'networkmanager-linux', before);
    expect(config.neutralised).toBeUndefined();
    expect(config.removes).not.toContain('/run/NetworkManager/system-connections/vnet0.nmconnection');
  });

  it('renderHost resolves them from the live state it plans from', () => {
    const before = files({ '/etc/NetworkManager/system-connections/cloud-init-eth0.nmconnection': cloudInitPort('eth0') });
    const config = renderHost(centosLinuxBridgeIntent, 'networkmanager-linux', { previousFiles: before, live: live() });
    expect(config.refusal).toBeUndefined();
    expect(config.neutralised).toEqual([{ path: '/etc/NetworkManager/system-connections/cloud-init-eth0.nmconnection', interfaces: ['eth0'] }]);
  });
});
