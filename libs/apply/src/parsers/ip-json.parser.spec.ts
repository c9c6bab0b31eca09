import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseIpJson } from './ip-json.parser';
import { mergeOvsLinks, parseOvsSection } from './ovs-output.parser';

// Captured on this machine: `ip -j -d link show` etc. in a netns with bridge br0 over veth eth0 (peer eth1),
// and the ovs section printed by the facts script's commands against a real ovsdb-server.
const fixture = (name: string): string => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

describe('parseIpJson (real iproute2 output)', () => {
  const live = parseIpJson(
    JSON.parse(fixture('ip-link-bridge-veth.json')),
    JSON.parse(fixture('ip-addr-bridge-veth.json')),
    JSON.parse(fixture('ip-route-bridge-veth.json')),
  );

  it('maps links: bridge with sorted members, veths as nics with their master and their peer (same namespace), loopback skipped', () => {
    expect(live.links).toEqual([
      { name: 'br0', kind: 'bridge', members: ['eth0'], up: true, bridge: { stp: false, forwardDelay: 1500 } },
      { name: 'eth1', kind: 'nic', peer: 'eth0', up: true },
      { name: 'eth0', kind: 'nic', master: 'br0', peer: 'eth1', up: true },
    ]);
  });

  it("reads each NIC's MAC, the permanent one where iproute2 prints it (a bond port's own), lowercase; not a bridge's", () => {
    expect(live.macs).toEqual({ eth1: expect.stringMatching(/^[0-9a-f:]{17}$/), eth0: expect.stringMatching(/^[0-9a-f:]{17}$/) });
    const bonded = parseIpJson(
      [
        { ifname: 'eno1', link_type: 'ether', address: '52:54:00:AA:00:01', master: 'bond0', linkinfo: { info_slave_kind: 'bond', info_slave_data: { perm_hwaddr: '52:54:00:aa:00:01' } } },
        { ifname: 'eno2', link_type: 'ether', address: '52:54:00:aa:00:01', permaddr: '52:54:00:aa:00:02', master: 'bond0', linkinfo: { info_slave_kind: 'bond' } },
        { ifname: 'bond0', link_type: 'ether', address: '52:54:00:aa:00:01', linkinfo: { info_kind: 'bond' } },
      ],
      [],
      [],
    );
    expect(bonded.macs).toEqual({ eno1: '52:54:00:aa:00:01', eno2: '52:54:00:aa:00:02' });
    // and the current one where it is another: eno2 runs with its bond's (netplan before 0.106 matches that one)
    expect(bonded.currentMacs).toEqual({ eno2: '52:54:00:aa:00:01' });
    expect(live.currentMacs).toBeUndefined();
  });

  it('keeps IPv4 addresses only, and routes with dev and gateway', () => {
    expect(live.addresses).toEqual([{ dev: 'br0', address: '192.168.100.20', prefix: 24 }]);
    expect(live.routes).toEqual([
      { to: 'default', via: '192.168.100.1', dev: 'br0' },
      { to: '192.168.100.0/24', dev: 'br0' },
    ]);
  });

  it('keeps static global IPv6 addresses apart (a run must not take them away unseen), not link-local or SLAAC-like ones', () => {
    // captured here: eth0 with 192.168.100.20/24, 2001:db8::20/64 (static), 2001:db8:1::20/64 (with a lifetime, as SLAAC's) and its fe80::
    const v6 = parseIpJson([], JSON.parse(fixture('ip-addr-ipv6.json')), []);
    expect(v6.addresses).toEqual([{ dev: 'eth0', address: '192.168.100.20', prefix: 24 }]);
    expect(v6.addresses6).toEqual([{ dev: 'eth0', address: '2001:db8::20', prefix: 64 }]);
    expect(live.addresses6).toBeUndefined();
  });

  it('marks leases, which come back by themselves: an IPv4 address with a finite lifetime, routes learnt by DHCP or router advertisements', () => {
    const addrs = [{ ifname: 'eth2', addr_info: [{ family: 'inet', local: '10.20.0.7', prefixlen: 24, valid_life_time: 43000 }, { family: 'inet', local: '10.20.0.8', prefixlen: 24, valid_life_time: 4294967295 }] }];
    const routes = [{ dst: '10.21.0.0/16', gateway: '10.20.0.1', dev: 'eth2', protocol: 'dhcp' }, { dst: '10.22.0.0/16', gateway: '10.20.0.1', dev: 'eth2', protocol: 'static' }];
    const leased = parseIpJson([], addrs, routes);
    expect(leased.addresses).toEqual([{ dev: 'eth2', address: '10.20.0.7', prefix: 24, dynamic: true }, { dev: 'eth2', address: '10.20.0.8', prefix: 24 }]);
    expect(leased.routes).toEqual([{ to: '10.21.0.0/16', via: '10.20.0.1', dev: 'eth2', dynamic: true }, { to: '10.22.0.0/16', via: '10.20.0.1', dev: 'eth2' }]);
  });

  it('reads VLAN id and parent from linkinfo (shape as iproute2 prints it; no 8021q module here)', () => {
    const vlan = parseIpJson(
      [
        { ifname: 'bond0', flags: ['UP'], linkinfo: { info_kind: 'bond' } },
        { ifname: 'eth0', flags: ['UP'], master: 'bond0', linkinfo: { info_slave_kind: 'bond' } },
        { ifname: 'bond0.100', flags: ['UP'], link: 'bond0', master: 'cloudbr100', linkinfo: { info_kind: 'vlan', info_data: { id: 100 } } },
        { ifname: 'cloudbr100', flags: [], linkinfo: { info_kind: 'bridge' } },
      ],
      [],
      [],
    );
    expect(vlan.links).toEqual([
      { name: 'bond0', kind: 'bond', members: ['eth0'], up: true },
      { name: 'eth0', kind: 'nic', master: 'bond0', up: true },
      { name: 'bond0.100', kind: 'vlan', master: 'cloudbr100', parent: 'bond0', vlanId: 100, up: true },
      { name: 'cloudbr100', kind: 'bridge', members: ['bond0.100'], up: false },
    ]);
  });
});

describe("parseIpJson: a Linux bond's and bridge's parameters (info_data keys as iproute2 6.x's iplink_bond.c and iplink_bridge.c print them; no bonding module here)", () => {
  it('reads mode, miimon, ad_lacp_rate, xmit_hash_policy, stp_state (2, user-space STP, is on) and forward_delay', () => {
    const live = parseIpJson(
      [
        { ifname: 'bond0', flags: ['UP'], linkinfo: { info_kind: 'bond', info_data: { mode: 'active-backup', miimon: 200, ad_lacp_rate: 'slow', xmit_hash_policy: 'layer2' } } },
        { ifname: 'br0', flags: ['UP'], linkinfo: { info_kind: 'bridge', info_data: { stp_state: 2, forward_delay: 1500 } } },
        { ifname: 'br1', flags: ['UP'], linkinfo: { info_kind: 'bridge' } },
      ],
      [],
      [],
    );
    expect(live.links).toEqual([
      { name: 'bond0', kind: 'bond', members: [], up: true, bond: { mode: 'active-backup', miimon: 200, lacpRate: 'slow', xmitHashPolicy: 'layer2' } },
      { name: 'br0', kind: 'bridge', members: [], up: true, bridge: { stp: true, forwardDelay: 1500 } },
      // without -d there is no info_data: nothing is read, and nothing made up
      { name: 'br1', kind: 'bridge', members: [], up: true },
    ]);
  });
});

describe('parseOvsSection (real ovs-vsctl output)', () => {
  const links = parseOvsSection(fixture('ovs-bond-fake-bridge.txt'));

  it('finds bridges, the bond and its members, and the fake VLAN bridge', () => {
    expect(links).toEqual([
      { name: 'cloud0', kind: 'ovs-bridge', members: [] },
      { name: 'cloudbr0', kind: 'ovs-bridge', members: ['bond0'] },
      { name: 'bond0', kind: 'ovs-bond', master: 'cloudbr0', members: ['eth0', 'eth1'] },
      { name: 'eth0', kind: 'nic', master: 'bond0' },
      { name: 'eth1', kind: 'nic', master: 'bond0' },
      { name: 'cloudbr100', kind: 'ovs-fake-bridge', parent: 'cloudbr0', vlanId: 100, members: ['vnet0'] },
      { name: 'vnet0', kind: 'nic', master: 'cloudbr100' },
    ]);
  });

  it('overlays OVS facts on the ip view (masters behind ovs-system, internal ports become bridges)', () => {
    const merged = mergeOvsLinks(
      {
        links: [
          { name: 'eth0', kind: 'nic', up: true },
          { name: 'cloudbr0', kind: 'nic', up: true },
        ],
        addresses: [],
        routes: [],
      },
      links,
    );
    expect(merged.links.find((l) => l.name === 'eth0')).toEqual({ name: 'eth0', kind: 'nic', master: 'bond0', up: true });
    expect(merged.links.find((l) => l.name === 'cloudbr0')).toEqual({ name: 'cloudbr0', kind: 'ovs-bridge', members: ['bond0'], up: true });
  });
});
