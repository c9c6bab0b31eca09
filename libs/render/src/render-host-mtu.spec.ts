import { jumboIntent } from '../../intent/test-support/intent-fixtures';
import type { RenderedConfig, RenderTargetId } from './domain/rendered-config';
import { RENDER_TARGETS, renderHost } from './render-host';

const backendOf = (target: RenderTargetId) => (target.endsWith('-ovs') ? 'ovs' : 'linux');
const fileOf = (config: RenderedConfig, path: string) => config.files.find((f) => f.path === path)!.content;
const ifcfg = (config: RenderedConfig, dev: string) => fileOf(config, `/etc/sysconfig/network-scripts/ifcfg-${dev}`);
const stanza = (file: string, name: string) => file.split('\n\n').find((s) => s.includes(`iface ${name} inet`))!;

/** A profile that validates renders on every target it selects: jumbo frames on bond0's network. */
describe('jumbo MTU (9000 on bond0, its members and the storage VLAN) on every target', () => {
  it.each(RENDER_TARGETS.map((t) => [t]))('%s renders it', (target) => {
    const config = renderHost(jumboIntent(backendOf(target)), target);
    expect(config.files.map((f) => f.content).join('\n')).toMatch(/mtu[ =:]+9000|MTU=9000/i);
  });

  it('el-network-scripts-ovs: MTU= for ifup-eth, mtu_request through OVS_EXTRA on the bond members and internal ports', () => {
    const config = renderHost(jumboIntent('ovs'), 'el-network-scripts-ovs');
    expect(ifcfg(config, 'eth0')).toMatch(/\nMTU=9000\nHOTPLUG=no\n$/);
    expect(ifcfg(config, 'bond0')).toContain('\nOVS_EXTRA="set interface eth0 mtu_request=9000 -- set interface eth1 mtu_request=9000"\n');
    expect(ifcfg(config, 'cloudbr0')).toContain('\nMTU=9000\nOVS_EXTRA="set interface cloudbr0 mtu_request=9000"\n');
    expect(ifcfg(config, 'cloudbr100')).toContain('\nMTU=9000\nOVS_OPTIONS="cloudbr0 100"\nOVS_EXTRA="set interface cloudbr100 mtu_request=9000"\n');
    for (const dev of ['eth2', 'bond1', 'cloudbr1', 'cloud0']) expect(ifcfg(config, dev)).not.toMatch(/MTU|mtu_request/);
  });

  it('el-network-scripts-ovs: the datapath and the MTU share one OVS_EXTRA', () => {
    const config = renderHost(jumboIntent('ovs'), 'el-network-scripts-ovs', { ovsDatapathType: 'netdev' });
    expect(ifcfg(config, 'cloudbr0')).toContain('\nOVS_EXTRA="set bridge cloudbr0 datapath_type=netdev -- set interface cloudbr0 mtu_request=9000"\n');
  });

  it('debian-ifupdown-ovs: mtu on the bridges, ovs_extra mtu_request on the bond members and internal ports', () => {
    const file = fileOf(renderHost(jumboIntent('ovs'), 'debian-ifupdown-ovs', { ovsDatapathType: 'netdev' }), '/etc/network/interfaces');
    expect(stanza(file, 'bond0')).toMatch(/\novs_extra set interface eth0 mtu_request=9000 -- set interface eth1 mtu_request=9000$/);
    expect(stanza(file, 'bond0')).not.toMatch(/\nmtu /);
    expect(stanza(file, 'cloudbr0')).toContain('\nmtu 9000\novs_type OVSBridge\novs_ports bond0\novs_extra set bridge cloudbr0 datapath_type=netdev -- set interface cloudbr0 mtu_request=9000');
    expect(stanza(file, 'cloudbr100')).toMatch(/\nmtu 9000\novs_type OVSBridge\novs_options cloudbr0 100\novs_extra set interface cloudbr100 mtu_request=9000\n?$/);
    for (const dev of ['bond1', 'cloudbr1']) expect(stanza(file, dev)).not.toMatch(/mtu/);
  });

  it('debian-ifupdown-ovs: a NIC that is a port of its own gets mtu and its mtu_request', () => {
    const intent = structuredClone(jumboIntent('ovs'));
    intent.nics = intent.nics.filter((n) => n.name !== 'eth1').map((n) => (n.name === 'eth0' ? { name: 'eth0', bridge: 'cloudbr0', mtu: 9000 } : n));
    intent.bonds = intent.bonds.filter((b) => b.name !== 'bond0');
    intent.bridges[0].uplink = 'eth0';
    const file = fileOf(renderHost(intent, 'debian-ifupdown-ovs'), '/etc/network/interfaces');
    expect(stanza(file, 'eth0')).toBe('# The primary network interface\nallow-cloudbr0 eth0\niface eth0 inet manual\nmtu 9000\novs_bridge cloudbr0\novs_type OVSPort\novs_extra set interface eth0 mtu_request=9000');
    const el = ifcfg(renderHost(intent, 'el-network-scripts-ovs'), 'eth0');
    expect(el).toContain('\nMTU=9000\nOVS_EXTRA="set interface eth0 mtu_request=9000"\nHOTPLUG=no\n');
  });
});
