import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseOvsSection } from './ovs-output.parser';

// Printed by the live-state snippet's OVS commands against a real ovsdb-server (ovs-vsctl 3.1).
const fixture = (name: string): string => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

describe('parseOvsSection: port and interface settings (real ovs-vsctl output)', () => {
  const links = parseOvsSection(fixture('ovs-two-bonds-settings.txt'));
  const link = (name: string) => links.find((l) => l.name === name);

  it('reads each bond port row: mode, lacp, other_config', () => {
    expect(link('bond0')).toEqual({
      name: 'bond0',
      kind: 'ovs-bond',
      master: 'cloudbr0',
      members: ['eth0', 'eth1'],
      ovsPort: { bondMode: 'active-backup', otherConfig: { 'bond-detect-mode': 'miimon', 'bond-miimon-interval': '100' } },
    });
    expect(link('bond1')?.ovsPort).toEqual({ bondMode: 'balance-tcp', lacp: 'active', otherConfig: { 'lacp-time': 'fast' } });
  });

  it('reads interface rows (splinters on a bond member) and single-interface ports with their tag', () => {
    expect(link('eth2')).toEqual({ name: 'eth2', kind: 'nic', master: 'bond1', ovsInterface: { type: '', otherConfig: { 'enable-vlan-splinters': 'true' } } });
    expect(link('eth9')).toEqual({ name: 'eth9', kind: 'nic', master: 'cloud0', ovsPort: { tag: 5, otherConfig: {} }, ovsInterface: { type: '', otherConfig: {} } });
    expect(link('vnet0')?.ovsPort).toEqual({ tag: 100, otherConfig: {} });
  });

  it('reads the datapath of real bridges only ("" = OVS default)', () => {
    expect(link('cloudbr0')?.ovsDatapathType).toBe('netdev');
    expect(link('cloud0')?.ovsDatapathType).toBe('');
    expect(link('cloudbr100')).toEqual({ name: 'cloudbr100', kind: 'ovs-fake-bridge', parent: 'cloudbr0', vlanId: 100, members: ['vnet0'] });
  });

  it('leaves settings unknown when a row lacks the asked columns (simulated ovs-vsctl lists name,uuids only)', () => {
    const text = ['bridge br0 br0 0 []', 'port br0 bond0', 'portrow bond0,u1 u2', 'iface u1,eth0', 'iface u2,eth1', 'portcfg bond0,u1 u2', 'ifacecfg u1,eth0'].join('\n');
    expect(parseOvsSection(text)).toEqual([
      { name: 'br0', kind: 'ovs-bridge', members: ['bond0'] },
      { name: 'bond0', kind: 'ovs-bond', master: 'br0', members: ['eth0', 'eth1'] },
      { name: 'eth0', kind: 'nic', master: 'bond0' },
      { name: 'eth1', kind: 'nic', master: 'bond0' },
    ]);
  });

  it('reads a patch port\'s Interface options (its peer), so an undo can rebuild the pair', () => {
    const text = ['bridge cloudbr1 cloudbr1 0 netdev', 'port cloudbr1 pt-cloudbr9', 'portrow pt-cloudbr9,u1', 'iface u1,pt-cloudbr9', 'ifacecfg pt-cloudbr9,patch,,peer=pt-cloudbr1'].join('\n');
    expect(parseOvsSection(text).find((l) => l.name === 'pt-cloudbr9')).toEqual({
      name: 'pt-cloudbr9',
      kind: 'nic',
      master: 'cloudbr1',
      ovsInterface: { type: 'patch', otherConfig: {}, options: { peer: 'pt-cloudbr1' } },
    });
  });
});
