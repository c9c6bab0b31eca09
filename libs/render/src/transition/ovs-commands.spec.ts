import type { LiveLink, LiveOvsInterface, LiveOvsPort } from '@hostnet/intent/domain/live-state';
import { OvsBridgeNotRestorableError, OvsPortNotRestorableError } from '../domain/render-errors';
import { recreateBridge, recreatePort, restoreKey } from './ovs-commands';
import type { LiveOvsPortRow } from './ovs-live-model';

const trunkPort: LiveOvsPort = {
  tag: 100,
  otherConfig: {},
  trunks: [100, 200, 4095],
  vlanMode: 'native-untagged',
  externalIds: { 'a:b': 'c', e: '', k: 'x y=z', note: 'to tor-1, rack 3', owner: 'ops' },
};
const trunkIface: LiveOvsInterface = { type: '', otherConfig: {}, options: {}, externalIds: { cable: 'a=b "c"', nl: 'a\nb\\c\té\u007f' }, mtuRequest: 9000 };
const row = (settings?: LiveOvsPort, ifaces = ['eth4']): LiveOvsPortRow => ({ name: ifaces.length > 1 ? 'bond0' : 'eth4', bridge: 'ovsbr0', ifaces, ...(settings ? { settings } : {}) });

describe('recreatePort: a removed port back exactly as facts read it', () => {
  it('a trunk port: trunks, vlan_mode and external_ids on the Port, external_ids and mtu_request on the Interface, quoted as ovs-vsctl reads them', () => {
    expect(recreatePort(row(trunkPort), new Map([['eth4', trunkIface]]))).toEqual([
      ['add-port', 'ovsbr0', 'eth4'],
      [
        'set', 'port', 'eth4', 'tag=100', 'trunks=100,200,4095', 'vlan_mode=native-untagged',
        'external_ids:"a:b"=c', 'external_ids:e=""', 'external_ids:k="x y=z"', 'external_ids:note="to tor-1, rack 3"', 'external_ids:owner=ops',
      ],
      ['set', 'interface', 'eth4', 'external_ids:cable="a=b \\"c\\""', 'external_ids:nl="a\\nb\\\\c\\té\\u007f"', 'mtu_request=9000'],
    ]);
  });

  it('a bond with its settings and member interfaces; a port whose settings facts could not read comes back bare', () => {
    const bond: LiveOvsPort = { bondMode: 'balance-slb', lacp: 'active', otherConfig: { 'bond-rebalance-interval': '0' }, externalIds: { owner: 'ops' } };
    expect(recreatePort(row(bond, ['eth0', 'eth1']), new Map([['eth1', { type: '', otherConfig: { 'enable-vlan-splinters': 'true' } }]]))).toEqual([
      ['add-bond', 'ovsbr0', 'bond0', 'eth0', 'eth1'],
      ['set', 'port', 'bond0', 'bond_mode=balance-slb', 'lacp=active', 'other_config:bond-rebalance-interval=0', 'external_ids:owner=ops'],
      ['set', 'interface', 'eth1', 'other_config:enable-vlan-splinters=true'],
    ]);
    expect(recreatePort(row(), new Map())).toEqual([['add-port', 'ovsbr0', 'eth4']]);
  });

  it('every other column facts read: bond delays, fake iface, protected, cvlans and mac on the Port; mac, ofport_request, policing and lldp on the Interface', () => {
    const bond: LiveOvsPort = { bondMode: 'active-backup', otherConfig: {}, bondUpdelay: 200, bondDowndelay: 100, bondFakeIface: true, protected: true, mac: '02:00:00:00:00:0a', cvlans: [5, 6], vlanMode: 'dot1q-tunnel', tag: 7 };
    const member: LiveOvsInterface = {
      type: '', otherConfig: {}, mac: '02:00:00:00:00:0b', ofportRequest: 12, ingressPolicingRate: 1000, ingressPolicingBurst: 100, ingressPolicingKpktsRate: 5, ingressPolicingKpktsBurst: 6, lldp: { enable: 'true' },
    };
    expect(recreatePort(row(bond, ['eth0', 'eth1']), new Map([['eth0', member]]))).toEqual([
      ['add-bond', 'ovsbr0', 'bond0', 'eth0', 'eth1'],
      ['set', 'port', 'bond0', 'bond_mode=active-backup', 'tag=7', 'vlan_mode=dot1q-tunnel', 'cvlans=5,6', 'bond_updelay=200', 'bond_downdelay=100', 'bond_fake_iface=true', 'protected=true', 'mac="02:00:00:00:00:0a"'],
      [
        'set', 'interface', 'eth0', 'lldp:enable=true', 'mac="02:00:00:00:00:0b"', 'ofport_request=12',
        'ingress_policing_rate=1000', 'ingress_policing_burst=100', 'ingress_policing_kpkts_rate=5', 'ingress_policing_kpkts_burst=6',
      ],
    ]);
  });

  it('refuses a port whose row holds what no command gives back, naming the port, each column and the fix', () => {
    const qos: LiveOvsPort = { otherConfig: {}, unrestorable: { qos: '2af446f0-501c-41d4-b54b-8daaece996f9' } };
    expect(() => recreatePort(row(qos), new Map())).toThrow(OvsPortNotRestorableError);
    expect(() => recreatePort(row(qos), new Map())).toThrow(
      'OVS port eth4: this run deletes it and, should the run not complete, its undo would recreate it without Port eth4 qos=2af446f0-501c-41d4-b54b-8daaece996f9 ' +
        '(a QoS row, which hostnet does not point a recreated port back at: an OVS whose QoS table is not a root table deletes it with its last port); nothing was changed; ' +
        'fix: clear that column before the run (ovs-vsctl clear port eth4 qos) and set it again after it, or make this change to eth4 by hand, then run the host again',
    );
    const bfd: LiveOvsInterface = { type: '', otherConfig: {}, unrestorable: { cfm_mpid: '5', bfd: '{enable="true"}' } };
    expect(() => recreatePort(row({ otherConfig: {}, unrestorable: { future_knob: '7' } }, ['eth0', 'eth1']), new Map([['eth1', bfd]]))).toThrow(
      'its undo would recreate it without Port bond0 future_knob=7 (a column hostnet does not restore), Interface eth1 bfd={enable="true"} (a BFD session, which a recreated interface starts over), ' +
        'Interface eth1 cfm_mpid=5 (a CFM session, which a recreated interface starts over); nothing was changed; ' +
        'fix: clear those columns before the run (ovs-vsctl clear port bond0 future_knob; ovs-vsctl clear interface eth1 bfd; ovs-vsctl clear interface eth1 cfm_mpid)',
    );
  });

  it.each([
    [{ ...trunkPort, trunks: [100, 4096] }, trunkIface, 'intent field live OVS port eth4.trunks[1]: 4096 must be an integer from 0 to 4095'],
    [{ ...trunkPort, trunks: [-1] }, trunkIface, 'intent field live OVS port eth4.trunks[0]: -1 must be an integer from 0 to 4095'],
    [{ ...trunkPort, trunks: [1.5] }, trunkIface, 'intent field live OVS port eth4.trunks[0]: 1.5 must be an integer from 0 to 4095'],
    [{ ...trunkPort, tag: 5000 }, trunkIface, 'intent field live OVS port eth4.tag: 5000 must be an integer from 0 to 4095'],
    [{ ...trunkPort, vlanMode: 'trunk; reboot' }, trunkIface, 'intent field live OVS port eth4.vlan_mode: "trunk; reboot" must be one of access, native-tagged, native-untagged, trunk, dot1q-tunnel'],
    [trunkPort, { ...trunkIface, mtuRequest: 0 }, 'intent field live OVS interface eth4.mtu_request: 0 must be an integer from 68 to 65535'],
    [trunkPort, { ...trunkIface, mtuRequest: 9000.5 }, 'intent field live OVS interface eth4.mtu_request: 9000.5 must be an integer from 68 to 65535'],
    [{ ...trunkPort, bondUpdelay: -1 }, trunkIface, 'intent field live OVS port eth4.bond_updelay: -1 must be an integer from 0 to 2147483647'],
    [{ ...trunkPort, cvlans: [4096] }, trunkIface, 'intent field live OVS port eth4.cvlans[0]: 4096 must be an integer from 0 to 4095'],
    [{ ...trunkPort, mac: '02:00:00:00:00:0a"; reboot' }, trunkIface, 'intent field live OVS port eth4.mac: "02:00:00:00:00:0a\\"; reboot" is not a MAC address'],
    [trunkPort, { ...trunkIface, ofportRequest: 65280 }, 'intent field live OVS interface eth4.ofport_request: 65280 must be an integer from 1 to 65279'],
    [trunkPort, { ...trunkIface, ingressPolicingRate: 2 ** 32 }, 'intent field live OVS interface eth4.ingress_policing_rate: 4294967296 must be an integer from 0 to 4294967295'],
    [trunkPort, { ...trunkIface, mac: 'aa:bb' }, 'intent field live OVS interface eth4.mac: "aa:bb" is not a MAC address'],
  ])('refuses a value outside what OVS holds rather than recreate the port in part (%#)', (settings, iface, message) => {
    expect(() => recreatePort(row(settings), new Map([['eth4', iface]]))).toThrow(message);
  });
});

describe('recreateBridge: a bridge the run deletes back exactly as facts read it', () => {
  const ovsbr0: LiveLink = {
    name: 'ovsbr0',
    kind: 'ovs-bridge',
    ovsDatapathType: 'netdev',
    ovsBridge: {
      datapathType: 'netdev',
      failMode: 'secure',
      stpEnable: true,
      rstpEnable: true,
      mcastSnoopingEnable: true,
      protocols: ['OpenFlow10', 'OpenFlow13'],
      floodVlans: [10, 20],
      otherConfig: { hwaddr: '02:00:00:00:00:01', 'stp-priority': '4096' },
      externalIds: { note: 'rack 3, row "b"' },
    },
    ovsPort: { otherConfig: {}, externalIds: { owner: 'ops' } },
    ovsInterface: { type: 'internal', otherConfig: {}, options: {}, mtuRequest: 9000, mac: '02:00:00:00:00:02' },
  };

  it('a real bridge: every Bridge column facts read, then its own port and internal interface, quoted as ovs-vsctl reads them', () => {
    expect(recreateBridge(ovsbr0)).toEqual([
      ['--may-exist', 'add-br', 'ovsbr0'],
      [
        'set', 'bridge', 'ovsbr0', 'datapath_type=netdev', 'fail_mode=secure', 'stp_enable=true', 'rstp_enable=true', 'mcast_snooping_enable=true',
        'protocols=OpenFlow10,OpenFlow13', 'flood_vlans=10,20', 'other_config:hwaddr="02:00:00:00:00:01"', 'other_config:stp-priority=4096', 'external_ids:note="rack 3, row \\"b\\""',
      ],
      ['set', 'port', 'ovsbr0', 'external_ids:owner=ops'],
      ['set', 'interface', 'ovsbr0', 'type=internal', 'mtu_request=9000', 'mac="02:00:00:00:00:02"'],
    ]);
  });

  it("a fake bridge on its parent and VLAN, with its own port's and interface's settings; a bridge whose rows facts could not read, with its datapath type only", () => {
    const fake: LiveLink = { name: 'cloudbr100', kind: 'ovs-fake-bridge', parent: 'cloudbr0', vlanId: 100, ovsPort: { tag: 100, otherConfig: {} }, ovsInterface: { type: 'internal', otherConfig: {}, mtuRequest: 1400 } };
    expect(recreateBridge(fake)).toEqual([
      ['--may-exist', 'add-br', 'cloudbr100', 'cloudbr0', '100'],
      ['set', 'port', 'cloudbr100', 'tag=100'],
      ['set', 'interface', 'cloudbr100', 'type=internal', 'mtu_request=1400'],
    ]);
    expect(recreateBridge({ name: 'cloudbr1', kind: 'ovs-bridge', ovsDatapathType: 'netdev' })).toEqual([['--may-exist', 'add-br', 'cloudbr1'], ['set', 'bridge', 'cloudbr1', 'datapath_type=netdev']]);
    expect(recreateBridge({ name: 'cloudbr1', kind: 'ovs-bridge', ovsDatapathType: '' })).toEqual([['--may-exist', 'add-br', 'cloudbr1']]);
  });

  it('refuses a bridge whose rows hold what no command gives back, naming the bridge, each column and the fix', () => {
    const held: LiveLink = {
      ...ovsbr0,
      ovsBridge: { datapathType: '', otherConfig: {}, unrestorable: { mirrors: '[5e1c0c2e-0000-4000-8000-000000000001]', controller: '[5e1c0c2e-0000-4000-8000-000000000002]' } },
      ovsPort: { otherConfig: {}, unrestorable: { qos: '5e1c0c2e-0000-4000-8000-000000000003' } },
    };
    expect(() => recreateBridge(held)).toThrow(OvsBridgeNotRestorableError);
    expect(() => recreateBridge(held)).toThrow(
      'OVS bridge ovsbr0: this run deletes it and, should the run not complete, its undo would recreate it without ' +
        'Bridge ovsbr0 controller=[5e1c0c2e-0000-4000-8000-000000000002] (an OpenFlow controller (a Controller row, which OVSDB deletes with its bridge)), ' +
        'Bridge ovsbr0 mirrors=[5e1c0c2e-0000-4000-8000-000000000001] (a port mirror (a Mirror row, which OVSDB deletes with its bridge)), ' +
        'Port ovsbr0 qos=5e1c0c2e-0000-4000-8000-000000000003 (a QoS row, which hostnet does not point a recreated port back at: an OVS whose QoS table is not a root table deletes it with its last port); nothing was changed; ' +
        'fix: clear those columns before the run (ovs-vsctl clear bridge ovsbr0 controller; ovs-vsctl clear bridge ovsbr0 mirrors; ovs-vsctl clear port ovsbr0 qos) and set them again after it, or make this change to ovsbr0 by hand, then run the host again',
    );
    const future: LiveLink = { ...ovsbr0, ovsBridge: { datapathType: '', otherConfig: {}, unrestorable: { future_knob: '7' } } };
    expect(() => recreateBridge(future)).toThrow('Bridge ovsbr0 future_knob=7 (a column hostnet does not restore)');
  });

  const bridgeWith = (row: Partial<NonNullable<LiveLink['ovsBridge']>>): LiveLink => ({ name: 'ovsbr0', kind: 'ovs-bridge', ovsBridge: { datapathType: '', otherConfig: {}, ...row } });
  it.each([
    [bridgeWith({ datapathType: 'netdev -- del-br cloudbr0' }), 'intent field live OVS bridge ovsbr0.datapath_type: "netdev -- del-br cloudbr0" is not an OVS datapath type'],
    [{ name: 'ovsbr0', kind: 'ovs-bridge', ovsDatapathType: 'net"dev' } as LiveLink, 'intent field live OVS bridge ovsbr0.datapath_type: "net\\"dev" is not an OVS datapath type'],
    [bridgeWith({ failMode: 'open' }), 'intent field live OVS bridge ovsbr0.fail_mode: "open" must be one of standalone, secure'],
    [bridgeWith({ protocols: ['OpenFlow13', 'OpenFlow16'] }), 'intent field live OVS bridge ovsbr0.protocols[1]: "OpenFlow16" must be one of OpenFlow10'],
    [bridgeWith({ floodVlans: [4096] }), 'intent field live OVS bridge ovsbr0.flood_vlans[0]: 4096 must be an integer from 0 to 4095'],
    [{ ...bridgeWith({}), ovsInterface: { type: 'internal', otherConfig: {}, mac: 'aa:bb' } }, 'intent field live OVS interface ovsbr0.mac: "aa:bb" is not a MAC address'],
    [{ ...bridgeWith({}), name: 'br0;reboot' }, 'intent field live OVS bridge br0;reboot: "br0;reboot" is not a valid interface name'],
    [{ name: 'cloudbr100', kind: 'ovs-fake-bridge', parent: 'cloudbr0', vlanId: 4096 } as LiveLink, 'intent field live OVS bridge cloudbr100.vlan: 4096 must be an integer from 1 to 4095'],
    [{ name: 'cloudbr100', kind: 'ovs-fake-bridge', parent: '-x', vlanId: 100 } as LiveLink, 'intent field live OVS bridge cloudbr100.parent: "-x" is not a valid interface name'],
  ])('refuses a value outside what OVS holds rather than recreate the bridge in part (%#)', (bridge, message) => {
    expect(() => recreateBridge(bridge)).toThrow(message);
  });
});

describe('restoreKey', () => {
  it('quotes a key ovs-vsctl would end at its ":"', () => {
    expect(restoreKey('interface', 'eth0', 'enable-vlan-splinters', 'true')).toEqual(['set', 'interface', 'eth0', 'other_config:enable-vlan-splinters=true']);
    expect(restoreKey('port', 'bond0', 'a:b', 'x y')).toEqual(['set', 'port', 'bond0', 'other_config:"a:b"="x y"']);
  });
});
