import type { LiveLink, LiveOvsPort } from '@hostnet/intent';
import { linkDifferences, liveDifferences } from './live-differences';

describe('linkDifferences: an OVS uplink carries every VLAN', () => {
  const bond: LiveLink = { name: 'bond1', kind: 'ovs-bond', master: 'cloudbr1', members: ['eth2', 'eth3'] };
  const nic: LiveLink = { name: 'eth4', kind: 'nic', master: 'cloudbr2' };
  const found = (want: LiveLink, ovsPort: Partial<LiveOvsPort> | undefined): LiveLink => ({ ...want, ...(ovsPort ? { ovsPort: { otherConfig: {}, ...ovsPort } } : {}) });

  it('names a trunks list, a tag and a vlan_mode other than trunk, on a bond port and on a NIC port', () => {
    expect(linkDifferences(bond, found(bond, { trunks: [100, 200] }))).toEqual(['bond1 carries only VLANs 100, 200 (OVS trunks), expected every VLAN']);
    expect(linkDifferences(nic, found(nic, { tag: 7, vlanMode: 'native-untagged' }))).toEqual([
      'eth4 is an access port of VLAN 7 (OVS tag), expected to carry every VLAN',
      'eth4 has OVS vlan_mode native-untagged, expected trunk',
    ]);
  });

  it('finds nothing on a plain port, an explicit trunk mode, or a port whose settings facts could not read', () => {
    expect(linkDifferences(bond, found(bond, {}))).toEqual([]);
    expect(linkDifferences(bond, found(bond, { vlanMode: 'trunk', trunks: [] }))).toEqual([]);
    expect(linkDifferences(bond, found(bond, undefined))).toEqual([]);
  });

  it("leaves other links' OVS rows alone: a fake bridge's port is tagged by design", () => {
    const fake: LiveLink = { name: 'cloudbr100', kind: 'ovs-fake-bridge', parent: 'cloudbr0', vlanId: 100 };
    expect(linkDifferences(fake, { ...fake, ovsPort: { tag: 100, otherConfig: {} } })).toEqual([]);
  });

  it("leaves a recorded port's VLAN columns to it: a restore's check compares the host with its pre-run self (VM taps keep their VMs' tags)", () => {
    const tap = found({ name: 'vnet0', kind: 'nic', master: 'cloudbr1' }, { tag: 100 });
    expect(linkDifferences(tap, found(tap, { tag: 200 }))).toEqual([]);
    expect(linkDifferences(found(nic, { trunks: [7] }), found(nic, {}))).toEqual([]);
  });

  it('makes a re-run on such a host a change, not a no-op', () => {
    const expected = { links: [bond], addresses: [], routes: [] };
    expect(liveDifferences(expected, { links: [found(bond, {})], addresses: [], routes: [] })).toEqual([]);
    expect(liveDifferences(expected, { links: [found(bond, { vlanMode: 'access', tag: 5 })], addresses: [], routes: [] })).toHaveLength(2);
  });
});

describe('linkDifferences: MTU', () => {
  const want: LiveLink = { name: 'cloudbr0', kind: 'bridge', mtu: 9000, up: true };

  it('names an MTU other than the expected one; facts leave 1500 out, which is 1500, not any MTU', () => {
    const { mtu: _read, ...atDefault } = want;
    expect(linkDifferences(want, atDefault)).toEqual(['cloudbr0 has MTU 1500, expected 9000']);
    expect(linkDifferences(want, { ...want, mtu: 1400 })).toEqual(['cloudbr0 has MTU 1400, expected 9000']);
    expect(linkDifferences(want, { ...want })).toEqual([]);
    expect(linkDifferences({ ...want, mtu: 1500 }, atDefault)).toEqual([]);
    expect(linkDifferences({ ...want, mtu: 1500 }, { ...want })).toEqual(['cloudbr0 has MTU 9000, expected 1500']);
  });

  it('holds no MTU where none is expected (a link the intent does not hold)', () => {
    const { mtu: _none, ...free } = want;
    expect(linkDifferences(free, { ...want, mtu: 1400 })).toEqual([]);
  });

  it("holds a bridge no higher than a VM's tap on it (a Linux bridge runs at its smallest port's MTU), and never the tap", () => {
    const eth0: LiveLink = { name: 'eth0', kind: 'nic', master: 'cloudbr0', mtu: 9000, up: true };
    const expected = { links: [want, eth0], addresses: [], routes: [] };
    const tap = (mtu: number): LiveLink => ({ name: 'vnet0', kind: 'nic', master: 'cloudbr0', mtu, up: true });
    const { mtu: _read, ...bridgeAt1500 } = want;
    expect(liveDifferences(expected, { links: [bridgeAt1500, eth0, tap(1500)], addresses: [], routes: [] })).toEqual([]);
    // pinned at the uplink's MTU above the tap (a newer kernel allows it): as expected as well
    expect(liveDifferences(expected, { links: [want, eth0, tap(1500)], addresses: [], routes: [] })).toEqual([]);
    // below the tap's: raised to the tap's, no higher
    expect(liveDifferences(expected, { links: [{ ...want, mtu: 1400 }, eth0, tap(1500)], addresses: [], routes: [] })).toEqual(['cloudbr0 has MTU 1400, expected 1500']);
    // the tap at the uplink's MTU too: the bridge below it is drift
    expect(liveDifferences(expected, { links: [bridgeAt1500, eth0, tap(9000)], addresses: [], routes: [] })).toEqual(['cloudbr0 has MTU 1500, expected 9000']);
  });
});

describe('liveDifferences: route destinations as iproute2 prints them', () => {
  const expected = { links: [], addresses: [], routes: [{ to: '10.1.1.5/32', via: '192.168.100.1', dev: 'cloudbr0' }, { to: '10.2.0.0/16', via: '192.168.100.1', dev: 'cloudbr0' }] };
  it('a host route printed without its /32 is the expected one, not drift for ever', () => {
    const actual = { links: [], addresses: [], routes: [{ to: '10.1.1.5', via: '192.168.100.1', dev: 'cloudbr0' }, { to: '10.2.0.0/16', via: '192.168.100.1', dev: 'cloudbr0' }] };
    expect(liveDifferences(expected, actual)).toEqual([]);
  });
  it('another host is still missing', () => {
    const actual = { links: [], addresses: [], routes: [{ to: '10.1.1.6', via: '192.168.100.1', dev: 'cloudbr0' }, { to: '10.2.0.0/16', via: '192.168.100.1', dev: 'cloudbr0' }] };
    expect(liveDifferences(expected, actual)).toEqual(['route 10.1.1.5/32 via 192.168.100.1 dev cloudbr0 is missing']);
  });
});

describe("linkDifferences: a Linux bond's and bridge's parameters", () => {
  const bond: LiveLink = { name: 'bond0', kind: 'bond', members: ['eth0', 'eth1'], bond: { mode: '802.3ad', miimon: 100, lacpRate: 'fast', xmitHashPolicy: 'layer3+4' } };
  const bridge: LiveLink = { name: 'cloudbr0', kind: 'bridge', members: ['bond0'], bridge: { stp: true, forwardDelay: 1500 } };

  it("names each parameter the host runs otherwise, with the kernel's name, the live value and the intended one", () => {
    // a cloud-init active-backup bond0 that the intent makes 802.3ad: verification used to pass it
    const cloudInit: LiveLink = { ...bond, bond: { mode: 'active-backup', miimon: 200, lacpRate: 'slow', xmitHashPolicy: 'layer2' } };
    expect(linkDifferences(bond, cloudInit)).toEqual([
      'bond0 has bond mode active-backup, expected 802.3ad',
      'bond0 has bond miimon 200, expected 100',
      'bond0 has bond lacp_rate slow, expected fast',
      'bond0 has bond xmit_hash_policy layer2, expected layer3+4',
    ]);
    expect(linkDifferences(bridge, { ...bridge, bridge: { stp: false, forwardDelay: 0 } })).toEqual([
      'cloudbr0 has bridge stp_state 0, expected 1',
      'cloudbr0 has bridge forward_delay 0, expected 1500 (hundredths of a second)',
    ]);
    // without STP the forward delay is inert (the kernel forwards at once; NetworkManager writes 15 s for 0): not held
    const plain: LiveLink = { ...bridge, bridge: { stp: false, forwardDelay: 0 } };
    expect(linkDifferences(plain, { ...bridge, bridge: { stp: false, forwardDelay: 1500 } })).toEqual([]);
    expect(linkDifferences(plain, { ...bridge, bridge: { stp: true, forwardDelay: 1500 } })).toEqual(['cloudbr0 has bridge stp_state 1, expected 0']);
  });

  it('holds only what the expectation carries, and takes parameters facts did not read for a difference', () => {
    expect(linkDifferences({ ...bond, bond: { miimon: 100 } }, { ...bond, bond: { mode: 'balance-rr', miimon: 100 } })).toEqual([]);
    expect(linkDifferences({ ...bond, bond: undefined }, { ...bond, bond: { mode: 'balance-rr' } })).toEqual([]);
    expect(linkDifferences(bridge, { ...bridge, bridge: undefined })).toEqual([
      'cloudbr0 has bridge stp_state unknown (not read), expected 1',
      'cloudbr0 has bridge forward_delay unknown (not read), expected 1500 (hundredths of a second)',
    ]);
  });

  it('makes a re-run on such a host a change, not a no-op', () => {
    const expected = { links: [bond], addresses: [], routes: [] };
    expect(liveDifferences(expected, { links: [bond], addresses: [], routes: [] })).toEqual([]);
    expect(liveDifferences(expected, { links: [{ ...bond, bond: { ...bond.bond, mode: 'active-backup' } }], addresses: [], routes: [] })).toEqual(['bond0 has bond mode active-backup, expected 802.3ad']);
  });
});

describe("linkDifferences: the agent's cloud0", () => {
  it('an Open vSwitch host may run cloud0 as a Linux bridge (the agent makes it so while the bridge module is loaded); any other bridge, or the reverse, differs', () => {
    const cloud0: LiveLink = { name: 'cloud0', kind: 'ovs-bridge', up: true };
    expect(linkDifferences(cloud0, { name: 'cloud0', kind: 'bridge', up: true })).toEqual([]);
    expect(linkDifferences({ ...cloud0, name: 'cloudbr0' }, { name: 'cloudbr0', kind: 'bridge', up: true })).toEqual(['cloudbr0 is a bridge, expected a ovs-bridge']);
    expect(linkDifferences({ ...cloud0, kind: 'bridge' }, { name: 'cloud0', kind: 'ovs-bridge', up: true })).toEqual(['cloud0 is a ovs-bridge, expected a bridge']);
    expect(linkDifferences(cloud0, { name: 'cloud0', kind: 'bridge', up: false })).toEqual(['cloud0 is down']);
  });
});
