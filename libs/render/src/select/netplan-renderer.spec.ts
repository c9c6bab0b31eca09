import { ubuntuLinuxBridgeIntent } from '../../test/fixtures/reference-intents';
import { renderHost } from '../render-host';
import { NETPLAN_PATH } from '../renderers/netplan.renderer';
import { netplanNetworkManagerFile } from './netplan-renderer';

const files = (entries: Record<string, string | undefined>) => new Map(Object.entries(entries).map(([path, content]) => [path, { content }]));
const NM_ALL = 'network:\n  version: 2\n  renderer: NetworkManager\n';

describe('netplanNetworkManagerFile', () => {
  it("names Ubuntu desktop's file that makes NetworkManager netplan's renderer", () => {
    expect(netplanNetworkManagerFile(files({ '/etc/netplan/01-network-manager-all.yaml': NM_ALL, '/etc/netplan/50-cloud-init.yaml': 'network:\n  ethernets:\n    eno1: {dhcp4: true}\n' }))).toBe(
      '/etc/netplan/01-network-manager-all.yaml',
    );
  });

  it("follows netplan: the last file naming a renderer wins, /etc's file shadows /lib's of the same name and /run's /etc's until a reboot", () => {
    expect(netplanNetworkManagerFile(files({ '/etc/netplan/01-network-manager-all.yaml': NM_ALL, '/etc/netplan/90-server.yaml': 'network:\n  renderer: networkd\n' }))).toBeUndefined();
    expect(netplanNetworkManagerFile(files({ '/etc/netplan/01-nm.yaml': NM_ALL, '/run/netplan/01-nm.yaml': 'network:\n  renderer: networkd\n' }))).toBeUndefined();
    // /run is emptied at boot: /etc's file it shadows runs again then
    expect(netplanNetworkManagerFile(files({ '/etc/netplan/01-nm.yaml': NM_ALL, '/run/netplan/01-nm.yaml': 'network: {version: 2}\n' }))).toBe('/etc/netplan/01-nm.yaml');
    expect(netplanNetworkManagerFile(files({ '/lib/netplan/01-nm.yaml': NM_ALL, '/etc/netplan/01-nm.yaml': 'network: {version: 2}\n' }))).toBeUndefined();
    expect(netplanNetworkManagerFile(files({ '/lib/netplan/00-nm.yaml': NM_ALL }))).toBe('/lib/netplan/00-nm.yaml');
  });

  it("counts hostnet's own file as netplan does: on a host hostnet configured its renderer: networkd comes after the 01 file and wins; one after it naming NetworkManager still wins", () => {
    const hostnet = renderHost(ubuntuLinuxBridgeIntent, 'netplan-linux').files.find((f) => f.path === NETPLAN_PATH)!.content;
    expect(hostnet).toMatch(/^  renderer: networkd$/m);
    expect(netplanNetworkManagerFile(files({ '/etc/netplan/01-network-manager-all.yaml': NM_ALL, [NETPLAN_PATH]: hostnet }))).toBeUndefined();
    expect(netplanNetworkManagerFile(files({ '/etc/netplan/01-network-manager-all.yaml': NM_ALL, [NETPLAN_PATH]: hostnet, '/etc/netplan/99-desktop.yaml': NM_ALL }))).toBe('/etc/netplan/99-desktop.yaml');
    // a first run: hostnet's file is not on the host yet
    expect(netplanNetworkManagerFile(files({ '/etc/netplan/01-network-manager-all.yaml': NM_ALL }))).toBe('/etc/netplan/01-network-manager-all.yaml');
  });

  it('leaves a file that does not read, or is too large to read, to the render (which refuses it by name)', () => {
    expect(netplanNetworkManagerFile(files({ '/etc/netplan/01-nm.yaml': NM_ALL, '/etc/netplan/02-x.yaml': 'network: [', '/etc/netplan/03-big.yaml': undefined }))).toBe('/etc/netplan/01-nm.yaml');
  });
});
