import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveLink, LiveState } from '@hostnet/intent/domain/live-state';
import { expectedLiveState } from '@hostnet/intent/live/expected-live-state';
import { centosOvsIntent, ubuntuOvsIntent } from '../../test/fixtures/reference-intents';
import { renameBridge, withBond, withBonds, withoutBond1 } from '../../test/support/intent-variants';
import { ovsLiveOf } from '../../test/support/ovs-live-of';
import { OvsBridgeNotRestorableError, OvsPortNotRestorableError } from '../domain/render-errors';
import { planOvsTransition } from './ovs-transition.planner';

const base = ubuntuOvsIntent;
const AB = ['bond_mode=active-backup', 'other_config:bond-detect-mode=miimon', 'other_config:bond-miimon-interval=100'];

const plus = (live: LiveState, ...links: LiveLink[]): LiveState => ({ ...live, links: [...live.links, ...links] });
const plan = (intent: HostNetworkIntent, live: LiveState, previous?: LiveState) =>
  planOvsTransition(intent, live, { ovsDatapathType: 'netdev', ...(previous ? { previous } : {}) });
const names = (steps: { name: string }[]) => steps.map((s) => s.name);
const words = (steps: { argv: string[] }[]) => steps.map((s) => s.argv.join(' '));

describe('planOvsTransition', () => {
  it('already configured: no step at all, nothing to undo', () => {
    for (const intent of [base, centosOvsIntent]) {
      expect(plan(intent, ovsLiveOf(intent), expectedLiveState(intent))).toEqual({ steps: [], undoSteps: [], retired: [] });
    }
  });

  it('nothing live yet: the same ovs-vsctl steps as a render without live state, undo deletes the ports they create', () => {
    const result = plan(base, { links: [], addresses: [], routes: [] });
    expect(names(result.steps)).toEqual(['ovs-add-br-cloudbr0', 'ovs-add-br-cloudbr1', 'ovs-add-br-cloud0', 'ovs-add-bond-bond0', 'ovs-add-bond-bond1', 'ovs-add-fake-br-cloudbr100']);
    expect(result.steps[3].argv).toEqual(['ovs-vsctl', '--may-exist', 'add-bond', 'cloudbr0', 'bond0', 'eth0', 'eth1', '--', 'set', 'port', 'bond0', ...AB]);
    expect(words(result.undoSteps)).toEqual([
      'ovs-vsctl --if-exists del-port bond0 -- --if-exists del-port bond1',
    ]);
  });

  it('no undo deletes a bridge or fake bridge the run creates: a VM tap on it by the rollback would go with it, so only the restore, which asks, does', () => {
    const plans = [plan(base, { links: [], addresses: [], routes: [] }), plan(renameBridge(base, 'cloudbr1', 'cloudbr9'), ovsLiveOf(base), expectedLiveState(base))];
    for (const result of plans) {
      expect(result.steps.some((s) => s.argv.includes('add-br'))).toBe(true);
      expect(words(result.undoSteps).join(' ')).not.toContain('del-br');
    }
  });

  it('swap members between bond0 and bond1: members leave both old bonds in the same transaction that builds the new ones', () => {
    const result = plan(withBonds(base, ['eth0', 'eth2'], ['eth1', 'eth3']), ovsLiveOf(base), expectedLiveState(base));
    expect(names(result.steps)).toEqual(['ovs-transition-ports']);
    expect(result.steps[0].argv.join(' ')).toBe(
      'ovs-vsctl --if-exists del-port bond0 -- --if-exists del-port bond1' +
        ` -- --may-exist add-bond cloudbr0 bond0 eth0 eth2 -- set port bond0 ${AB.join(' ')}` +
        ` -- --may-exist add-bond cloudbr1 bond1 eth1 eth3 -- set port bond1 ${AB.join(' ')}`,
    );
    expect(words(result.undoSteps)).toEqual([
      'ovs-vsctl --if-exists del-port bond0 -- --if-exists del-port bond1' +
        ` -- --if-exists del-port bond0 -- add-bond cloudbr0 bond0 eth0 eth1 -- set port bond0 ${AB.join(' ')}` +
        ` -- --if-exists del-port bond1 -- add-bond cloudbr1 bond1 eth2 eth3 -- set port bond1 ${AB.join(' ')}`,
    ]);
    expect(result.retired).toEqual([]);
  });

  it('change a bond mode: one `set port`, undone by setting the recorded values back', () => {
    const slb = withBond(base, 'bond0', { mode: 'balance-tcp', lacp: 'active', lacpRate: 'fast' });
    const result = plan(slb, ovsLiveOf(base));
    expect(words(result.steps)).toEqual(['ovs-vsctl set port bond0 bond_mode=balance-tcp -- set port bond0 lacp=active -- set port bond0 other_config:lacp-time=fast']);
    expect(names(result.steps)).toEqual(['ovs-set-bond-bond0']);
    // --if-exists: activation may have deleted the port (ifdown-ovs) before the undo runs; the old files make it again
    expect(words(result.undoSteps)).toEqual(['ovs-vsctl --if-exists set port bond0 bond_mode=active-backup -- --if-exists clear port bond0 lacp -- --if-exists remove port bond0 other_config lacp-time']);
    // and back: the mode change converges the other way with the keys removed
    const back = plan(base, ovsLiveOf(slb));
    expect(words(back.steps)).toEqual(['ovs-vsctl set port bond0 bond_mode=active-backup -- clear port bond0 lacp -- remove port bond0 other_config lacp-time']);
  });

  it('change a bond members (a third NIC): the bond is deleted and recreated in one transaction', () => {
    const wider = withBonds(base, ['eth0', 'eth1'], ['eth2', 'eth3', 'eth4']);
    const live = plus(ovsLiveOf(base), { name: 'eth4', kind: 'nic', up: true });
    const result = plan(wider, live);
    expect(words(result.steps)).toEqual([`ovs-vsctl --if-exists del-port bond1 -- --may-exist add-bond cloudbr1 bond1 eth2 eth3 eth4 -- set port bond1 ${AB.join(' ')}`]);
    expect(words(result.undoSteps)).toEqual([
      `ovs-vsctl --if-exists del-port bond1 -- --if-exists del-port bond1 -- add-bond cloudbr1 bond1 eth2 eth3 -- set port bond1 ${AB.join(' ')}`,
    ]);
  });

  it('bond1 dropped: eth2 joins bond0, eth3 becomes cloudbr1 direct uplink; bond1 retired (its file goes)', () => {
    const result = plan(withoutBond1(base), ovsLiveOf(base), expectedLiveState(base));
    expect(words(result.steps)).toEqual([
      'ovs-vsctl --if-exists del-port bond0 -- --if-exists del-port bond1' +
        ` -- --may-exist add-bond cloudbr0 bond0 eth0 eth1 eth2 -- set port bond0 ${AB.join(' ')} -- --may-exist add-port cloudbr1 eth3`,
    ]);
    expect(result.retired).toEqual(['bond1']);
  });

  it('rename a bridge hostnet made: new bridge, the bond moves over, the emptied old bridge goes; undo reverses all of it but the new bridge, the restore\'s to delete', () => {
    const renamed = renameBridge(base, 'cloudbr1', 'cloudbr9');
    const result = plan(renamed, ovsLiveOf(base), expectedLiveState(base));
    expect(names(result.steps)).toEqual(['ovs-add-br-cloudbr9', 'ovs-transition-ports', 'ovs-del-br-cloudbr1']);
    expect(result.steps[1].argv.join(' ')).toBe(`ovs-vsctl --if-exists del-port bond1 -- --may-exist add-bond cloudbr9 bond1 eth2 eth3 -- set port bond1 ${AB.join(' ')}`);
    expect(words(result.undoSteps)).toEqual([
      'ovs-vsctl --may-exist add-br cloudbr1 -- set bridge cloudbr1 datapath_type=netdev' +
        ` -- --if-exists del-port bond1 -- --if-exists del-port bond1 -- add-bond cloudbr1 bond1 eth2 eth3 -- set port bond1 ${AB.join(' ')}`,
    ]);
    expect(result.retired).toEqual(['cloudbr1']);
  });

  it("a retired bridge's undo gives back its Bridge row and its own port and interface, or the plan is refused naming the column", () => {
    const renamed = renameBridge(base, 'cloudbr1', 'cloudbr9');
    const withRows = (row: NonNullable<LiveLink['ovsBridge']>): LiveState => {
      const live = ovsLiveOf(base);
      live.links = live.links.map((l) =>
        l.name === 'cloudbr1' ? { ...l, ovsBridge: row, ovsPort: { otherConfig: {}, externalIds: { owner: 'ops' } }, ovsInterface: { type: 'internal', otherConfig: {}, mtuRequest: 9000 } } : l,
      );
      return live;
    };
    const result = plan(renamed, withRows({ datapathType: 'netdev', failMode: 'secure', stpEnable: true, protocols: ['OpenFlow13'], otherConfig: { 'mac-table-size': '4096' } }), expectedLiveState(base));
    expect(words(result.undoSteps)[0]).toMatch(
      /^ovs-vsctl --may-exist add-br cloudbr1 -- set bridge cloudbr1 datapath_type=netdev fail_mode=secure stp_enable=true protocols=OpenFlow13 other_config:mac-table-size=4096 -- set port cloudbr1 external_ids:owner=ops -- set interface cloudbr1 type=internal mtu_request=9000 -- --if-exists del-port bond1/,
    );
    const sflow = withRows({ datapathType: 'netdev', otherConfig: {}, unrestorable: { sflow: '5e1c0c2e-0000-4000-8000-000000000001' } });
    expect(() => plan(renamed, sflow, expectedLiveState(base))).toThrow(OvsBridgeNotRestorableError);
    expect(() => plan(renamed, sflow, expectedLiveState(base))).toThrow(/^OVS bridge cloudbr1: .* without Bridge cloudbr1 sflow=.*fix: clear that column before the run \(ovs-vsctl clear bridge cloudbr1 sflow\)/);
  });

  it('rename the parent of a fake bridge: the empty fake bridge moves; with a VM tap on it, refused (the tap would lose the uplink)', () => {
    const renamed = renameBridge(base, 'cloudbr0', 'cloudbr5');
    const result = plan(renamed, ovsLiveOf(base), expectedLiveState(base));
    expect(names(result.steps)).toEqual(['ovs-add-br-cloudbr5', 'ovs-transition-ports', 'ovs-move-fake-br-cloudbr100', 'ovs-del-br-cloudbr0']);
    expect(result.steps[2].argv).toEqual(['ovs-vsctl', 'del-br', 'cloudbr100', '--', '--may-exist', 'add-br', 'cloudbr100', 'cloudbr5', '100']);
    // its undo puts it back on its old parent, with its own port's and interface's settings
    const set = ovsLiveOf(base);
    set.links = set.links.map((l) => (l.name === 'cloudbr100' ? { ...l, ovsPort: { tag: 100, otherConfig: {}, externalIds: { owner: 'ops' } }, ovsInterface: { type: 'internal', otherConfig: {}, mtuRequest: 1400 } } : l));
    expect(words(plan(renamed, set, expectedLiveState(base)).undoSteps)[0]).toContain(
      '-- --if-exists del-br cloudbr100 -- --may-exist add-br cloudbr100 cloudbr0 100 -- set port cloudbr100 tag=100 external_ids:owner=ops -- set interface cloudbr100 type=internal mtu_request=1400',
    );
    const tapped = ovsLiveOf(base);
    tapped.links = tapped.links.map((l) => (l.name === 'cloudbr100' ? { ...l, members: ['vnet0'] } : l));
    const busyLive = plus(tapped, { name: 'vnet0', kind: 'nic', master: 'cloudbr100', ovsPort: { tag: 100, otherConfig: {} } });
    expect(() => plan(renamed, busyLive, expectedLiveState(base))).toThrow(
      /^live bridge cloudbr0 still carries vnet0 \(VM taps or the CloudStack agent's ports\) and this run would take away bond0, its only way to the network: those VMs would be cut off, nothing was changed; fix: migrate or stop the VMs on cloudbr0/,
    );
  });

  it('a bridge made by hand before hostnet is emptied of the NICs the intent places elsewhere but kept; undo rebuilds its ports', () => {
    const handMade: LiveState = {
      links: [
        { name: 'ovsbr0', kind: 'ovs-bridge', members: ['eth2', 'uplink0'], ovsDatapathType: '' },
        { name: 'uplink0', kind: 'ovs-bond', master: 'ovsbr0', members: ['eth0', 'eth1'], ovsPort: { bondMode: 'balance-slb', otherConfig: { 'bond-rebalance-interval': '0' } } },
        { name: 'eth0', kind: 'nic', master: 'uplink0', ovsInterface: { type: '', otherConfig: {} } },
        { name: 'eth1', kind: 'nic', master: 'uplink0', ovsInterface: { type: '', otherConfig: {} } },
        { name: 'eth2', kind: 'nic', master: 'ovsbr0', ovsPort: { tag: 20, otherConfig: {} }, ovsInterface: { type: '', otherConfig: { 'enable-vlan-splinters': 'true' } } },
        { name: 'eth3', kind: 'nic', up: true },
      ],
      addresses: [],
      routes: [],
    };
    const result = plan(base, handMade);
    expect(names(result.steps)).toEqual(['ovs-add-br-cloudbr0', 'ovs-add-br-cloudbr1', 'ovs-add-br-cloud0', 'ovs-transition-ports', 'ovs-add-fake-br-cloudbr100']);
    expect(result.steps[3].argv.join(' ')).toMatch(/^ovs-vsctl --if-exists del-port uplink0 -- --if-exists del-port eth2 -- --may-exist add-bond cloudbr0 bond0 eth0 eth1 /);
    expect(result.undoSteps[0].argv.join(' ')).toContain(
      '--if-exists del-port uplink0 -- add-bond ovsbr0 uplink0 eth0 eth1 -- set port uplink0 bond_mode=balance-slb other_config:bond-rebalance-interval=0' +
        ' -- --if-exists del-port eth2 -- add-port ovsbr0 eth2 -- set port eth2 tag=20 -- set interface eth2 other_config:enable-vlan-splinters=true',
    );
    expect(JSON.stringify(result.steps)).not.toContain('del-br ovsbr0');
    expect(result.retired).toEqual(['uplink0']);
  });

  it('a trunk port made by hand that the run removes: the undo gives it back its trunks, vlan_mode, external_ids and mtu_request', () => {
    const trunk: LiveState = {
      links: [
        { name: 'ovsbr0', kind: 'ovs-bridge', members: ['eth2'], ovsDatapathType: '' },
        {
          name: 'eth2',
          kind: 'nic',
          master: 'ovsbr0',
          ovsPort: { tag: 100, otherConfig: {}, trunks: [100, 200], vlanMode: 'native-untagged', externalIds: { note: 'to tor-1, rack 3' } },
          ovsInterface: { type: '', otherConfig: {}, options: {}, externalIds: { 'iface-role': 'uplink' }, mtuRequest: 1500 },
        },
        ...['eth0', 'eth1', 'eth3'].map((name): LiveLink => ({ name, kind: 'nic', up: true })),
      ],
      addresses: [],
      routes: [],
    };
    const result = plan(base, trunk);
    expect(result.steps[3].argv.join(' ')).toMatch(/^ovs-vsctl --if-exists del-port eth2 -- /);
    expect(result.undoSteps[0].argv.join(' ')).toContain(
      '--if-exists del-port eth2 -- add-port ovsbr0 eth2 -- set port eth2 tag=100 trunks=100,200 vlan_mode=native-untagged external_ids:note="to tor-1, rack 3"' +
        ' -- set interface eth2 external_ids:iface-role=uplink mtu_request=1500',
    );
    const odd = { ...trunk, links: trunk.links.map((l) => (l.name === 'eth2' ? { ...l, ovsPort: { ...l.ovsPort!, vlanMode: 'native' } } : l)) };
    expect(() => plan(base, odd)).toThrow('intent field live OVS port eth2.vlan_mode: "native" must be one of access, native-tagged, native-untagged, trunk, dot1q-tunnel');
  });

  it('a port the run removes whose row holds a QoS row (or an interface running BFD): refused, naming the port, the column and the fix', () => {
    const uplink = (ovsPort: NonNullable<LiveLink['ovsPort']>, ovsInterface: NonNullable<LiveLink['ovsInterface']>): LiveState => ({
      links: [
        { name: 'ovsbr0', kind: 'ovs-bridge', members: ['eth2'], ovsDatapathType: '' },
        { name: 'eth2', kind: 'nic', master: 'ovsbr0', ovsPort, ovsInterface },
        ...['eth0', 'eth1', 'eth3'].map((name): LiveLink => ({ name, kind: 'nic', up: true })),
      ],
      addresses: [],
      routes: [],
    });
    const qos = uplink({ otherConfig: {}, unrestorable: { qos: '2af446f0-501c-41d4-b54b-8daaece996f9' } }, { type: '', otherConfig: {} });
    expect(() => plan(base, qos)).toThrow(OvsPortNotRestorableError);
    expect(() => plan(base, qos)).toThrow(/^OVS port eth2: this run deletes it and, .* without Port eth2 qos=2af446f0-501c-41d4-b54b-8daaece996f9 \(a QoS row, .*\(ovs-vsctl clear port eth2 qos\)/);
    const bfd = uplink({ otherConfig: {} }, { type: '', otherConfig: {}, unrestorable: { bfd: '{enable="true"}' } });
    expect(() => plan(base, bfd)).toThrow(/without Interface eth2 bfd=\{enable="true"\} \(a BFD session, which a recreated interface starts over\)/);
    // restorable columns alone are no reason to refuse
    const delays = uplink({ otherConfig: {}, bondUpdelay: 200 }, { type: '', otherConfig: {}, ofportRequest: 12, ingressPolicingRate: 1000 });
    expect(plan(base, delays).undoSteps[0].argv.join(' ')).toContain(
      '--if-exists del-port eth2 -- add-port ovsbr0 eth2 -- set port eth2 bond_updelay=200 -- set interface eth2 ofport_request=12 ingress_policing_rate=1000',
    );
  });

  it('an uplink limited to some VLANs (trunks, a tag, a vlan_mode but trunk) is cleared in place, its other columns kept, and set back on undo', () => {
    const limited = (name: string, ovsPort: Partial<NonNullable<LiveLink['ovsPort']>>) => {
      const live = ovsLiveOf(base);
      return { ...live, links: live.links.map((l) => (l.name === name ? { ...l, ovsPort: { ...l.ovsPort!, ...ovsPort } } : l)) };
    };
    const result = plan(base, limited('bond1', { trunks: [100, 200], tag: 100, vlanMode: 'native-untagged', externalIds: { note: 'tor-1' } }));
    // not deleted and added again: a bond that keeps its LACP and every column hostnet does not set
    expect(words(result.steps)).toEqual(['ovs-vsctl clear port bond1 tag -- clear port bond1 trunks -- clear port bond1 vlan_mode']);
    expect(names(result.steps)).toEqual(['ovs-set-bond-bond1']);
    expect(words(result.undoSteps)).toEqual(['ovs-vsctl --if-exists set port bond1 tag=100 trunks=100,200 vlan_mode=native-untagged']);
    expect(result.retired).toEqual([]);
    // a bond whose mode changes too: one step for the port
    const slb = plan(withBond(base, 'bond1', { mode: 'balance-slb' }), limited('bond1', { trunks: [5] }));
    expect(words(slb.steps)).toEqual(['ovs-vsctl set port bond1 bond_mode=balance-slb -- clear port bond1 trunks']);
    expect(names(plan(base, limited('bond0', { vlanMode: 'access', tag: 3 })).steps)).toEqual(['ovs-set-bond-bond0']);
    // trunk is what a port without a vlan_mode does: nothing to change
    expect(plan(base, limited('bond1', { vlanMode: 'trunk' })).steps).toEqual([]);
    // a value from the host that is no VLAN is refused, naming the port and column
    expect(() => plan(base, limited('bond1', { trunks: [4096] }))).toThrow('live OVS port bond1.trunks[0]: 4096');
  });

  it("a relabel's new layout while the agent's VLAN bridge on the old bridge still holds a VM tap: the patch pair stays as its way out", () => {
    const patch = (name: string, bridge: string, peer: string): LiveLink => ({ name, kind: 'nic', master: bridge, ovsPort: { otherConfig: {} }, ovsInterface: { type: 'patch', otherConfig: {}, options: { peer } } });
    // after the expand (both): cloudbr9 beside cloudbr1, joined by a patch pair; the uplink bond1 still on cloudbr1
    const expanded = plus(
      ovsLiveOf(base),
      { name: 'cloudbr9', kind: 'ovs-bridge', members: ['pt-cloudbr1'], ovsDatapathType: 'netdev' },
      patch('pt-cloudbr9', 'cloudbr1', 'pt-cloudbr1'),
      patch('pt-cloudbr1', 'cloudbr9', 'pt-cloudbr9'),
      { name: 'brbond1-300', kind: 'ovs-fake-bridge', parent: 'cloudbr1', vlanId: 300, members: ['vnet1'] },
      { name: 'vnet1', kind: 'nic', master: 'brbond1-300', ovsPort: { tag: 300, otherConfig: {} } },
    );
    const previous = plus(expectedLiveState(base), { name: 'cloudbr9', kind: 'ovs-bridge' }, { name: 'pt-cloudbr9', kind: 'nic', master: 'cloudbr1' }, { name: 'pt-cloudbr1', kind: 'nic', master: 'cloudbr9' });
    const result = plan(renameBridge(base, 'cloudbr1', 'cloudbr9'), expanded, previous);
    expect(names(result.steps)).toEqual(['ovs-transition-ports']);
    expect(result.steps[0].argv.join(' ')).toMatch(/del-port bond1 .*add-bond cloudbr9 bond1/);
    expect(JSON.stringify(result.steps)).not.toMatch(/pt-cloudbr|vnet1|brbond1-300|del-br cloudbr1/);
  });

  it('agent-made bridges and VM taps are never touched, even when a previous run named them', () => {
    const live = plus(
      ovsLiveOf(base),
      { name: 'brbond0-200', kind: 'ovs-fake-bridge', parent: 'cloudbr0', vlanId: 200, members: ['vnet1'] },
      { name: 'vnet1', kind: 'nic', master: 'brbond0-200', ovsPort: { tag: 200, otherConfig: {} } },
      { name: 'cloudVirBr300', kind: 'ovs-bridge', members: ['vnet2'] },
      { name: 'vnet2', kind: 'nic', master: 'cloudVirBr300', ovsPort: { otherConfig: {} } },
      { name: 'vnet3', kind: 'nic', master: 'cloudbr1', ovsPort: { otherConfig: {} } },
    );
    const previous = plus(expectedLiveState(base), { name: 'brbond0-200', kind: 'ovs-fake-bridge' }, { name: 'vnet3', kind: 'nic', master: 'cloudbr1' });
    const result = plan(withBonds(base, ['eth0', 'eth2'], ['eth1', 'eth3']), live, previous);
    expect(result.steps.length).toBeGreaterThan(0);
    expect(JSON.stringify([result.steps, result.undoSteps])).not.toMatch(/vnet|brbond0-200|cloudVirBr300|del-br cloudbr0|del-br cloudbr1/);
    // a rename would take the uplink from under those taps (vnet1 rides on cloudbr0 through brbond0-200)
    expect(() => plan(renameBridge(base, 'cloudbr1', 'cloudbr9'), live, previous)).toThrow(/^live bridge cloudbr1 still carries vnet3 .* would take away bond1, its only way/);
    expect(() => plan(renameBridge(base, 'cloudbr0', 'cloudbr5'), live, previous)).toThrow(/^live bridge cloudbr0 still carries vnet1 .* would take away bond0, its only way/);
  });

  it('VLAN splinters: set again on interfaces a transition recreates, and restored with them by the undo', () => {
    const result = plan(withBonds(centosOvsIntent, ['eth0', 'eth2'], ['eth1', 'eth3']), ovsLiveOf(centosOvsIntent));
    expect(names(result.steps)).toEqual(['ovs-transition-ports', ...['eth0', 'eth1', 'eth2', 'eth3'].map((n) => `ovs-vlan-splinters-${n}`)]);
    expect(result.undoSteps[0].argv.join(' ')).toContain('add-bond cloudbr0 bond0 eth0 eth1 -- set port bond0 bond_mode=active-backup lacp=off');
    expect(result.undoSteps[0].argv.join(' ')).toContain('-- set interface eth0 other_config:enable-vlan-splinters=true -- set interface eth1 other_config:enable-vlan-splinters=true');
  });

  it('a bridge on the wrong datapath is converged; settings facts could not read count as matching', () => {
    const live = ovsLiveOf(base, '');
    expect(words(plan(base, live).steps)).toEqual(['cloudbr0', 'cloudbr1', 'cloud0'].map((b) => `ovs-vsctl set bridge ${b} datapath_type=netdev`));
    expect(plan(base, live).undoSteps[0].argv).toContain('datapath_type=""');
    const unknown: LiveState = { ...ovsLiveOf(base), links: ovsLiveOf(base).links.map(({ ovsPort: _p, ovsInterface: _i, ovsDatapathType: _d, ...l }) => l) };
    expect(plan(withBond(base, 'bond0', { mode: 'balance-slb' }), unknown).steps).toEqual([]);
  });
});
