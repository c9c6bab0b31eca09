import type { LiveOvsInterface, LiveOvsPort } from '@hostnet/intent/domain/live-state';
import { recreatePort, restoreKey } from './ovs-commands';
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

  it.each([
    [{ ...trunkPort, trunks: [100, 4096] }, trunkIface, 'intent field live OVS port eth4.trunks[1]: 4096 must be an integer from 0 to 4095'],
    [{ ...trunkPort, trunks: [-1] }, trunkIface, 'intent field live OVS port eth4.trunks[0]: -1 must be an integer from 0 to 4095'],
    [{ ...trunkPort, trunks: [1.5] }, trunkIface, 'intent field live OVS port eth4.trunks[0]: 1.5 must be an integer from 0 to 4095'],
    [{ ...trunkPort, tag: 5000 }, trunkIface, 'intent field live OVS port eth4.tag: 5000 must be an integer from 0 to 4095'],
    [{ ...trunkPort, vlanMode: 'trunk; reboot' }, trunkIface, 'intent field live OVS port eth4.vlan_mode: "trunk; reboot" must be one of access, native-tagged, native-untagged, trunk, dot1q-tunnel'],
    [trunkPort, { ...trunkIface, mtuRequest: 0 }, 'intent field live OVS interface eth4.mtu_request: 0 must be an integer from 68 to 65535'],
    [trunkPort, { ...trunkIface, mtuRequest: 9000.5 }, 'intent field live OVS interface eth4.mtu_request: 9000.5 must be an integer from 68 to 65535'],
  ])('refuses a value outside what OVS holds rather than recreate the port in part (%#)', (settings, iface, message) => {
    expect(() => recreatePort(row(settings), new Map([['eth4', iface]]))).toThrow(message);
  });
});

describe('restoreKey', () => {
  it('quotes a key ovs-vsctl would end at its ":"', () => {
    expect(restoreKey('interface', 'eth0', 'enable-vlan-splinters', 'true')).toEqual(['set', 'interface', 'eth0', 'other_config:enable-vlan-splinters=true']);
    expect(restoreKey('port', 'bond0', 'a:b', 'x y')).toEqual(['set', 'port', 'bond0', 'other_config:"a:b"="x y"']);
  });
});
