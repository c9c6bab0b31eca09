import { netplanNetworkManagerFile } from './netplan-renderer';

const files = (entries: Record<string, string | undefined>) => new Map(Object.entries(entries).map(([path, content]) => [path, { content }]));
const NM_ALL = 'network:\n  version: 2\n  renderer: NetworkManager\n';

describe('netplanNetworkManagerFile', () => {
  it("names Ubuntu desktop's file that makes NetworkManager netplan's renderer", () => {
    expect(netplanNetworkManagerFile(files({ '/etc/netplan/01-network-manager-all.yaml': NM_ALL, '/etc/netplan/50-cloud-init.yaml': 'network:\n  ethernets:\n    eno1: {dhcp4: true}\n' }))).toBe(
      '/etc/netplan/01-network-manager-all.yaml',
    );
  });

  it("follows netplan: the last file naming a renderer wins, /etc's file shadows /lib's of the same name and /run's /etc's until a reboot, hostnet's own file is not counted", () => {
    expect(netplanNetworkManagerFile(files({ '/etc/netplan/01-network-manager-all.yaml': NM_ALL, '/etc/netplan/90-server.yaml': 'network:\n  renderer: networkd\n' }))).toBeUndefined();
    expect(netplanNetworkManagerFile(files({ '/etc/netplan/01-nm.yaml': NM_ALL, '/run/netplan/01-nm.yaml': 'network:\n  renderer: networkd\n' }))).toBeUndefined();
    // /run is emptied at boot: /etc's file it shadows runs again then
    expect(netplanNetworkManagerFile(files({ '/etc/netplan/01-nm.yaml': NM_ALL, '/run/netplan/01-nm.yaml': 'network: {version: 2}\n' }))).toBe('/etc/netplan/01-nm.yaml');
    expect(netplanNetworkManagerFile(files({ '/lib/netplan/01-nm.yaml': NM_ALL, '/etc/netplan/01-nm.yaml': 'network: {version: 2}\n' }))).toBeUndefined();
    expect(netplanNetworkManagerFile(files({ '/lib/netplan/00-nm.yaml': NM_ALL }))).toBe('/lib/netplan/00-nm.yaml');
    expect(netplanNetworkManagerFile(files({ '/etc/netplan/01-nm.yaml': NM_ALL, '/etc/netplan/60-hostnet.yaml': 'network:\n  renderer: networkd\n' }))).toBe('/etc/netplan/01-nm.yaml');
  });

  it('leaves a file that does not read, or is too large to read, to the render (which refuses it by name)', () => {
    expect(netplanNetworkManagerFile(files({ '/etc/netplan/01-nm.yaml': NM_ALL, '/etc/netplan/02-x.yaml': 'network: [', '/etc/netplan/03-big.yaml': undefined }))).toBe('/etc/netplan/01-nm.yaml');
  });
});
