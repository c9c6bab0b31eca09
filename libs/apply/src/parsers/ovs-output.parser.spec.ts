import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseOvsSection } from './ovs-output.parser';

// The facts script's OVS section as it printed it against a real ovsdb-server (ovs-vsctl 3.1, whole Bridge, Port
// and Interface rows): bridges on the netdev datapath, one with a controller, and ovsbr0 with every Bridge setting
// an undo gives back (fail_mode, STP, snooping, protocols, flood_vlans, other_config, external_ids) and its own
// port's external_ids and interface's mtu_request and MAC; two bonds (one with bond_updelay/bond_downdelay), a fake bridge with a VM tap, and a bridge
// made by hand with a trunk port (trunks, vlan_mode, external_ids with spaces, commas, quotes, an empty value, a
// newline; its interface's external_ids, mtu_request, mac, ofport_request, ingress policing and lldp), an access
// port, a patch port, a port whose name ovs-vsctl quotes, a port with a QoS row and one whose interface runs BFD
// and CFM.
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
      ovsPort: { bondMode: 'active-backup', otherConfig: { 'bond-detect-mode': 'miimon', 'bond-miimon-interval': '100' }, bondUpdelay: 200, bondDowndelay: 100 },
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
      ovsInterface: {
        type: '',
        otherConfig: {},
        options: {},
        externalIds: { cable: 'a=b "c"', nl: 'a\nb\\c\té' },
        mtuRequest: 9000,
        mac: '02:00:00:00:00:04',
        ofportRequest: 12,
        ingressPolicingRate: 1000,
        ingressPolicingBurst: 100,
        lldp: { enable: 'true' },
      },
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
    expect(link('cloudbr100')).toMatchObject({ name: 'cloudbr100', kind: 'ovs-fake-bridge', parent: 'cloudbr0', vlanId: 100, members: ['vnet0'] });
    expect(link('cloudbr100')?.ovsBridge).toBeUndefined();
  });

  it("reads each real bridge's Bridge row, and every bridge's own port and interface", () => {
    expect(link('ovsbr0')).toMatchObject({
      kind: 'ovs-bridge',
      ovsBridge: {
        datapathType: '',
        failMode: 'secure',
        stpEnable: true,
        mcastSnoopingEnable: true,
        protocols: ['OpenFlow10', 'OpenFlow13'],
        floodVlans: [10, 20],
        otherConfig: { hwaddr: '02:00:00:00:00:01' },
        externalIds: { note: 'rack 3, row "b"' },
      },
      ovsPort: { otherConfig: {}, externalIds: { owner: 'ops' } },
      ovsInterface: { type: 'internal', otherConfig: {}, options: {}, mtuRequest: 9000, mac: '02:00:00:00:00:02' },
    });
    // what vswitchd writes (datapath_id, datapath_version, status) and the ports list are not settings
    expect(link('cloudbr0')?.ovsBridge).toEqual({ datapathType: 'netdev', otherConfig: {} });
    expect(link('cloudbr1')?.ovsBridge).toEqual({ datapathType: 'netdev', otherConfig: {}, unrestorable: { controller: expect.stringMatching(/^\[[0-9a-f-]{36}\]$/) } });
    // a fake bridge has no Bridge row: its own port holds its VLAN
    expect(link('cloudbr100')).toMatchObject({ ovsPort: { tag: 100, otherConfig: {} }, ovsInterface: { type: 'internal', otherConfig: {}, options: {} } });
  });

  it('records the columns an undo could not give back, as ovs-vsctl prints them: a QoS row, BFD, CFM', () => {
    expect(link('eth6')?.ovsPort).toEqual({ otherConfig: {}, unrestorable: { qos: expect.stringMatching(/^[0-9a-f-]{36}$/) } });
    expect(link('eth7')?.ovsInterface).toEqual({ type: '', otherConfig: {}, options: {}, unrestorable: { bfd: '{enable="true"}', cfm_mpid: '5' } });
    // what vswitchd writes (status, statistics, ofport) and a fake bridge's own port are not settings
    expect(links.filter((l) => l.ovsPort?.unrestorable || l.ovsInterface?.unrestorable || l.ovsBridge?.unrestorable).map((l) => l.name)).toEqual(['cloudbr1', 'eth6', 'eth7']);
  });

  it("reads the tables printed as ovs-vsctl's chained answer came (after 'ovstables', a blank line before each after the first) as it reads them line by line", () => {
    const lines = fixture('ovs-two-bonds-settings.txt').split('\n');
    const rowsOf = (word: string) => lines.filter((l) => l.startsWith(`${word} `)).map((l) => l.slice(word.length + 1));
    const verbatim = [...lines.filter((l) => l.startsWith('bridge ') || l.startsWith('port ')), 'ovstables', ...rowsOf('ovsbridge'), '', ...rowsOf('ovsport'), '', ...rowsOf('ovsiface')];
    expect(parseOvsSection(verbatim.join('\n'))).toEqual(links);
    expect(() => parseOvsSection([...verbatim, '', 'x,y'].join('\n'))).toThrow('facts: the OVS section holds more tables than the 3 facts list; nothing was changed');
  });

  const PORT_HEADING = 'ovsport _uuid,bond_mode,external_ids,interfaces,lacp,name,other_config,tag,trunks,vlan_mode';
  const IFACE_HEADING = 'ovsiface _uuid,external_ids,name,options,other_config,type';
  const section = (port: string[], iface: string[], portHeading = PORT_HEADING, ifaceHeading = IFACE_HEADING) =>
    ['bridge ovsbr0 ovsbr0 0', 'port ovsbr0 eth4', portHeading, ...port.map((r) => `ovsport ${r}`), ifaceHeading, ...iface.map((r) => `ovsiface ${r}`)].join('\n');

  it('finds columns by name: an OVS before 2.6 (no mtu_request) or one with a column facts do not know', () => {
    const old = section(['p1,[],{},[u1],[],eth4,{},20,[],[]'], ['u1,{},eth4,{},{},""""""']);
    expect(parseOvsSection(old).find((l) => l.name === 'eth4')).toEqual({ name: 'eth4', kind: 'nic', master: 'ovsbr0', ovsPort: { tag: 20, otherConfig: {} }, ovsInterface: { type: '', otherConfig: {}, options: {} } });
    const later = section(['p1,[],{},[u1],[],eth4,{},[],[],[],7,[],0'], ['u1,{},eth4,{},{},""""""'], `${PORT_HEADING},future_knob,future_list,future_count`);
    expect(parseOvsSection(later).find((l) => l.name === 'eth4')?.ovsPort).toEqual({ otherConfig: {}, unrestorable: { future_knob: '7' } });
  });

  it('a Bridge row: columns found by name, a column facts do not know held, a cell that does not read refused', () => {
    const BRIDGE_HEADING = 'ovsbridge _uuid,datapath_type,external_ids,fail_mode,name,other_config,ports,stp_enable';
    const withBridge = (row: string, heading = BRIDGE_HEADING) => [...section(['p1,[],{},[u1],[],eth4,{},[],[],[]'], ['u1,{},eth4,{},{},""""""']).split('\n'), heading, `ovsbridge ${row}`].join('\n');
    const ovsbr0 = (text: string) => parseOvsSection(text).find((l) => l.name === 'ovsbr0');
    expect(ovsbr0(withBridge('b1,system,{},standalone,ovsbr0,{},[p1],false'))?.ovsBridge).toEqual({ datapathType: 'system', failMode: 'standalone', otherConfig: {} });
    expect(ovsbr0(withBridge('b1,"""""",{},[],ovsbr0,{},[p1],false,7,[]', `${BRIDGE_HEADING},future_knob,future_list`))?.ovsBridge).toEqual({ datapathType: '', otherConfig: {}, unrestorable: { future_knob: '7' } });
    expect(() => ovsbr0(withBridge('b1,system,{},standalone,ovsbr0,{},[p1],maybe'))).toThrow(/^facts: OVS Bridge ovsbr0, column stp_enable: "maybe" .*is not a boolean/);
    expect(() => ovsbr0(withBridge('b1,system,{},"[secure, standalone]",ovsbr0,{},[p1],false'))).toThrow(/column fail_mode: .*at most one value expected/);
    // a Bridge table without the settings columns (a simulated ovs-vsctl) leaves the bridge's settings unknown
    expect(ovsbr0(withBridge('ovsbr0', 'ovsbridge name'))?.ovsBridge).toBeUndefined();
  });

  it('leaves settings unknown when the tables lack the settings columns (a simulated ovs-vsctl lists name and uuids only)', () => {
    const text = ['bridge br0 br0 0', 'port br0 bond0', 'ovsport name,interfaces', 'ovsport bond0,u1 u2', 'ovsiface _uuid,name', 'ovsiface u1,eth0', 'ovsiface u2,eth1'].join('\n');
    expect(parseOvsSection(text)).toEqual([
      { name: 'br0', kind: 'ovs-bridge', members: ['bond0'] },
      { name: 'bond0', kind: 'ovs-bond', master: 'br0', members: ['eth0', 'eth1'] },
      { name: 'eth0', kind: 'nic', master: 'bond0' },
      { name: 'eth1', kind: 'nic', master: 'bond0' },
    ]);
  });

  it('refuses a row with the settings columns that does not read as ovs-vsctl prints it, naming the row and column', () => {
    const port = (cells: string) => section([`p1,[],${cells}`], ['u1,{},eth4,{},{},""""""']);
    const eth4 = (text: string) => parseOvsSection(text).find((l) => l.name === 'eth4');
    expect(eth4(port('{},[u1],[],eth4,{},[],[100],trunk'))?.ovsPort).toEqual({ otherConfig: {}, trunks: [100], vlanMode: 'trunk' });
    expect(() => eth4(port('{},[u1],[],eth4,{},[],"[100, x]",trunk'))).toThrow(
      'facts: OVS Port eth4, column trunks: "[100, x]" is not as ovs-vsctl prints it ("x" is not an integer); nothing was changed',
    );
    expect(() => eth4(port('"{note=""a b}",[u1],[],eth4,{},[],[],[]'))).toThrow(/^facts: OVS Port eth4, column external_ids: .* \(a string without its closing quote\)/);
    expect(() => eth4(port('{},[u1],[],eth4,{},[],[],"[access, trunk]"'))).toThrow(/column vlan_mode: .*at most one value expected/);
    expect(() => eth4(port('{},[u1],[],eth4,[],[],[],[]'))).toThrow(/column other_config: .*a map expected/);
    expect(() => eth4(port('{},[u1],[],eth4,note=x,[],[],[]'))).toThrow(/column other_config: "note=x" .*unexpected text at 4/);
    const withBond = (cells: string) => section([`p1,[],{},[u1],[],eth4,{},[],[],[],${cells}`], ['u1,{},eth4,{},{},""""""'], `${PORT_HEADING},bond_updelay,bond_fake_iface`);
    expect(() => eth4(withBond('9007199254740993,false'))).toThrow(/column bond_updelay: "9007199254740993" .*is not an integer/);
    expect(() => eth4(withBond('0,yes'))).toThrow(/column bond_fake_iface: "yes" .*is not a boolean/);
    const mtu = section(['p1,[],{},[u1],[],eth4,{},[],[],[]'], ['u1,{},eth4,{},{},"""""",9000.5'], PORT_HEADING, `${IFACE_HEADING},mtu_request`);
    expect(() => eth4(mtu)).toThrow(/^facts: OVS Interface eth4, column mtu_request: "9000.5" .*is not an integer/);
  });
});
