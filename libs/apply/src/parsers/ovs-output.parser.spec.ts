import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseOvsSection } from './ovs-output.parser';

// The facts script's OVS section as it printed it against a real ovsdb-server (ovs-vsctl 3.1): two bonds, a
// fake bridge with a VM tap, and a bridge made by hand with a trunk port (trunks, vlan_mode, external_ids with
// spaces, commas, quotes, an empty value, a newline; its interface's external_ids and mtu_request), an access
// port, a patch port and a port whose name ovs-vsctl quotes.
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
    expect(link('eth2')).toEqual({ name: 'eth2', kind: 'nic', master: 'bond1', ovsInterface: { type: '', otherConfig: { 'enable-vlan-splinters': 'true' }, options: {} } });
    expect(link('eth9')).toEqual({ name: 'eth9', kind: 'nic', master: 'cloud0', ovsPort: { tag: 5, otherConfig: {} }, ovsInterface: { type: '', otherConfig: {}, options: {} } });
    expect(link('vnet0')).toMatchObject({
      ovsPort: { tag: 100, otherConfig: {} },
      ovsInterface: { type: '', otherConfig: {}, options: {}, externalIds: { 'attached-mac': '52:54:00:aa:bb:cc', 'iface-id': '6f1c3b1e' } },
    });
  });

  it('reads a trunk port\'s trunks, vlan_mode and external_ids, and its interface\'s external_ids and mtu_request, value for value', () => {
    expect(link('eth4')).toEqual({
      name: 'eth4',
      kind: 'nic',
      master: 'ovsbr0',
      ovsPort: {
        tag: 100,
        otherConfig: {},
        trunks: [100, 200, 4095],
        vlanMode: 'native-untagged',
        externalIds: { 'a:b': 'c', e: '', k: 'x y=z', note: 'to tor-1, rack 3', owner: 'ops', 'sp ace': '1' },
      },
      ovsInterface: { type: '', otherConfig: {}, options: {}, externalIds: { cable: 'a=b "c"', nl: 'a\nb\\c\té' }, mtuRequest: 9000 },
    });
    expect(link('eth5')?.ovsPort).toEqual({ tag: 20, otherConfig: {}, trunks: [7], vlanMode: 'access' });
  });

  it('reads names ovs-vsctl quotes, and a patch port\'s peer', () => {
    expect(link('0weird')).toEqual({ name: '0weird', kind: 'nic', master: 'ovsbr0', ovsPort: { otherConfig: {} }, ovsInterface: { type: 'internal', otherConfig: {}, options: {} } });
    expect(link('pt-ovsbr0')?.ovsInterface).toEqual({ type: 'patch', otherConfig: {}, options: { peer: 'pt-cloudbr1' } });
  });

  it('reads the datapath of real bridges only ("" = OVS default)', () => {
    expect(link('cloudbr0')?.ovsDatapathType).toBe('netdev');
    expect(link('cloud0')?.ovsDatapathType).toBe('');
    expect(link('cloudbr100')).toEqual({ name: 'cloudbr100', kind: 'ovs-fake-bridge', parent: 'cloudbr0', vlanId: 100, members: ['vnet0'] });
  });

  it('leaves settings unknown when a row lacks the asked columns (simulated ovs-vsctl lists name,uuids only; an older one fewer columns)', () => {
    const text = ['bridge br0 br0 0 []', 'port br0 bond0', 'portrow bond0,u1 u2', 'iface u1,eth0', 'iface u2,eth1', 'portcfg bond0,u1 u2', 'ifacecfg u1,eth0'].join('\n');
    expect(parseOvsSection(text)).toEqual([
      { name: 'br0', kind: 'ovs-bridge', members: ['bond0'] },
      { name: 'bond0', kind: 'ovs-bond', master: 'br0', members: ['eth0', 'eth1'] },
      { name: 'eth0', kind: 'nic', master: 'bond0' },
      { name: 'eth1', kind: 'nic', master: 'bond0' },
    ]);
    const older = ['bridge br0 br0 0 ""', 'port br0 eth2', 'portrow eth2,u1', 'iface u1,eth2', 'portcfg eth2,,,20,', 'ifacecfg eth2,,,'].join('\n');
    expect(parseOvsSection(older).find((l) => l.name === 'eth2')).toEqual({ name: 'eth2', kind: 'nic', master: 'br0' });
  });

  it('refuses a row with the asked columns that does not read as ovs-vsctl prints it, naming the row and column', () => {
    const section = (portcfg: string, ifacecfg = 'eth4,"""""",{},{},{},[]') =>
      ['bridge ovsbr0 ovsbr0 0 ""', 'port ovsbr0 eth4', 'portrow eth4,[u1]', 'iface u1,eth4', `portcfg ${portcfg}`, `ifacecfg ${ifacecfg}`].join('\n');
    expect(parseOvsSection(section('eth4,[],[],[],{},[100],trunk,{}')).find((l) => l.name === 'eth4')?.ovsPort).toEqual({ otherConfig: {}, trunks: [100], vlanMode: 'trunk' });
    expect(() => parseOvsSection(section('eth4,[],[],[],{},"[100, x]",trunk,{}'))).toThrow(
      'facts: OVS Port eth4, column trunks: "[100, x]" is not as ovs-vsctl prints it ("x" is not an integer); nothing was changed',
    );
    expect(() => parseOvsSection(section('eth4,[],[],[],{},[],trunk,"{note=""a b}"'))).toThrow(/^facts: OVS Port eth4, column external_ids: .* \(a string without its closing quote\)/);
    expect(() => parseOvsSection(section('eth4,[],[],[],{},[],"[access, trunk]",{}'))).toThrow(/column vlan_mode: .*at most one value expected/);
    expect(() => parseOvsSection(section('eth4,[],[],[],[],[],[],{}'))).toThrow(/column other_config: .*a map expected/);
    expect(() => parseOvsSection(section('eth4,[],[],[],note=x,[],[],{}'))).toThrow(/column other_config: "note=x" .*unexpected text at 4/);
    expect(() => parseOvsSection(section('eth4,[],[],[],{},[],[],{}', 'eth4,"""""",{},{},{},9000.5'))).toThrow(/^facts: OVS Interface eth4, column mtu_request: "9000.5" .*is not an integer/);
  });
});
