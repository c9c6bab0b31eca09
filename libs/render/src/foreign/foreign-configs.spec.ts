import { centosLinuxBridgeIntent, ubuntuLinuxBridgeIntent } from '../../test/fixtures/reference-intents';
import type { PreviousFiles } from '../activation/activation-steps';
import { RenderError } from '../domain/render-errors';
import type { RenderedConfig } from '../domain/rendered-config';
import { renderHost } from '../render-host';

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

/** After the run: the written files in place, the moved ones gone (what facts read on a re-run). */
function afterRun(config: RenderedConfig, before: PreviousFiles): PreviousFiles {
  const after = new Map([...before].filter(([path]) => !config.removes.includes(path)));
  for (const f of config.files) after.set(f.path, { content: f.content });
  return after;
}

describe('installer and other configs that name interfaces hostnet manages', () => {
  it('netplan: the installer file naming eth0 is moved aside in the same run, and a re-run leaves everything alone', () => {
    const before = files({ '/etc/netplan/00-installer-config.yaml': INSTALLER_NETPLAN, '/etc/netplan/90-other.yaml': 'network:\n  version: 2\n  ethernets:\n    ens9: {dhcp4: true}\n' });
    const config = renderHost(ubuntuLinuxBridgeIntent, 'netplan-linux', { previousFiles: before });
    // the veth drop-in is netplan-linux's to remove when no relabel needs it; removing an absent file is nothing
    expect(config.removes).toEqual(['/etc/systemd/system/systemd-networkd.service.d/60-hostnet-veth.conf', '/etc/netplan/00-installer-config.yaml']);
    expect(config.neutralised).toEqual([{ path: '/etc/netplan/00-installer-config.yaml', interfaces: ['eth0'] }]);

    const again = renderHost(ubuntuLinuxBridgeIntent, 'netplan-linux', { previousFiles: afterRun(config, before) });
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

    const again = renderHost(centosLinuxBridgeIntent, 'networkmanager-linux', { previousFiles: afterRun(config, before) });
    expect(again.neutralised).toBeUndefined();
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

  it("a target's system does not read the other systems' directories: nothing is moved there", () => {
    const before = files({ '/etc/netplan/00-installer-config.yaml': INSTALLER_NETPLAN, '/etc/NetworkManager/system-connections/w.nmconnection': WIRED_CONNECTION });
    expect(renderHost(centosLinuxBridgeIntent, 'el-network-scripts-linux', { previousFiles: before }).neutralised).toBeUndefined();
  });
});
