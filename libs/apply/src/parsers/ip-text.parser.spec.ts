import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseIpJson } from './ip-json.parser';
import { parseIpAddrText, parseIpLinkText, parseIpRouteText, parseIpText } from './ip-text.parser';
import { mergeOvsLinks, parseOvsSection } from './ovs-output.parser';
import { parseLiveSections } from './facts.parser';
import { parseSections } from './sectioned-output.parser';

const VERSION = 'ip utility, iproute2-ss170501';

/** A hand-written iproute2 4.11 fixture (see its header): its link, addr and route sections. */
function fixture(name: string): { link: string; addr: string; route: string } {
  const body = readFileSync(join(__dirname, 'fixtures', name), 'utf8')
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .join('\n');
  const parts = Object.fromEntries(body.split(/^@@/m).filter(Boolean).map((part) => [part.slice(0, part.indexOf('\n')), part.slice(part.indexOf('\n') + 1)]));
  return { link: parts.link, addr: parts.addr, route: parts.route };
}

describe('parseIpText (iproute2 4.11 one-line text, as CentOS 7 prints it)', () => {
  const bridgeHost = fixture('ip4.11-bridge-host.txt');
  const live = parseIpText(VERSION, bridgeHost.link, bridgeHost.addr, bridgeHost.route);

  it('reads links as the JSON parser does: bridges with their ports, the name@parent VLAN with its id, veth peers, master, up, mtu', () => {
    expect(live.links).toEqual([
      { name: 'eth0', kind: 'nic', master: 'cloudbr0', up: true },
      { name: 'eth1', kind: 'nic', up: true, mtu: 9000 },
      { name: 'eth2', kind: 'nic', up: false },
      { name: 'cloudbr0', kind: 'bridge', members: ['eth0', 'vnet0'], up: true, bridge: { stp: false, forwardDelay: 0 } },
      { name: 'eth1.200', kind: 'vlan', master: 'cloudbr1', parent: 'eth1', vlanId: 200, up: true, mtu: 9000 },
      { name: 'cloudbr1', kind: 'bridge', members: ['eth1.200', 'vethrl0'], up: true, mtu: 9000, bridge: { stp: false, forwardDelay: 0 } },
      // @NONE: no parent to name; the QoS map on a line of its own continues the link
      { name: 'eth3.300', kind: 'vlan', vlanId: 300, up: false },
      { name: 'vnet0', kind: 'nic', master: 'cloudbr0', up: true },
      { name: 'vethrl0', kind: 'nic', master: 'cloudbr1', peer: 'vethrl1', up: true },
      { name: 'vethrl1', kind: 'nic', peer: 'vethrl0', up: true },
      // @if9 with link-netnsid: its peer is in another namespace, which JSON does not name as `link` either
      { name: 'eth4', kind: 'nic', up: true },
    ]);
  });

  it('reads IPv4 addresses (a lease marked dynamic, a peer address with its length), static global IPv6 apart, loopback skipped', () => {
    expect(live.addresses).toEqual([
      { dev: 'cloudbr0', address: '192.168.10.22', prefix: 24 },
      { dev: 'cloudbr1', address: '10.1.0.22', prefix: 32 },
    ]);
    expect(live.addresses6).toEqual([{ dev: 'cloudbr0', address: '2001:db8::22', prefix: 64 }]);
  });

  it('reads routes with a dev: a learnt one marked dynamic, a multipath route (no dev of its own) and its nexthop lines left out', () => {
    expect(live.routes).toEqual([
      { to: 'default', via: '192.168.10.1', dev: 'cloudbr0' },
      { to: '10.3.0.0/16', via: '10.1.0.1', dev: 'cloudbr1', dynamic: true },
      { to: '169.254.0.0/16', dev: 'cloudbr0' },
      { to: '192.168.10.0/24', dev: 'cloudbr0' },
    ]);
  });

  it('gives an OVS host the same live state its JSON would: bond under ovs-system, OVS bridges merged by the ovs section, a tap', () => {
    const ovsHost = fixture('ip4.11-ovs-host.txt');
    const text = parseIpText(VERSION, ovsHost.link, ovsHost.addr, ovsHost.route);
    const json = parseIpJson(
      [
        { ifname: 'lo', link_type: 'loopback', flags: ['LOOPBACK', 'UP', 'LOWER_UP'], mtu: 65536 },
        { ifname: 'eth0', link_type: 'ether', address: '52:54:00:6b:1e:01', flags: ['BROADCAST', 'MULTICAST', 'SLAVE', 'UP', 'LOWER_UP'], mtu: 9000, master: 'bond0', linkinfo: { info_slave_kind: 'bond', info_slave_data: { perm_hwaddr: '52:54:00:6b:1e:01' } } },
        { ifname: 'eth1', link_type: 'ether', address: '52:54:00:6b:1e:01', flags: ['BROADCAST', 'MULTICAST', 'SLAVE', 'UP', 'LOWER_UP'], mtu: 9000, master: 'bond0', linkinfo: { info_slave_kind: 'bond', info_slave_data: { perm_hwaddr: '52:54:00:6b:1e:02' } } },
        { ifname: 'ovs-system', link_type: 'ether', flags: ['BROADCAST', 'MULTICAST'], mtu: 1500, linkinfo: { info_kind: 'openvswitch' } },
        { ifname: 'bond0', link_type: 'ether', flags: ['BROADCAST', 'MULTICAST', 'MASTER', 'UP', 'LOWER_UP'], mtu: 9000, master: 'ovs-system', linkinfo: { info_kind: 'bond', info_data: { mode: 'active-backup', miimon: 100, xmit_hash_policy: 'layer2', ad_lacp_rate: 'slow' }, info_slave_kind: 'openvswitch' } },
        { ifname: 'cloudbr0', link_type: 'ether', address: '52:54:00:6b:1e:01', flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'], mtu: 1500, linkinfo: { info_kind: 'openvswitch' } },
        { ifname: 'cloudbr1', link_type: 'ether', address: '52:54:00:6b:1e:01', flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'], mtu: 9000, linkinfo: { info_kind: 'openvswitch' } },
        { ifname: 'vnet0', link_type: 'ether', address: 'fe:00:3a:00:00:07', flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'], mtu: 1500, master: 'ovs-system', linkinfo: { info_kind: 'tun', info_slave_kind: 'openvswitch' } },
      ],
      [
        { ifname: 'lo', link_type: 'loopback', addr_info: [{ family: 'inet', local: '127.0.0.1', prefixlen: 8, scope: 'host' }] },
        { ifname: 'cloudbr0', addr_info: [{ family: 'inet', local: '192.168.10.21', prefixlen: 24, scope: 'global' }, { family: 'inet6', local: 'fe80::5054:ff:fe6b:1e01', prefixlen: 64, scope: 'link' }] },
        { ifname: 'cloudbr1', addr_info: [{ family: 'inet', local: '10.1.0.21', prefixlen: 16, scope: 'global', dynamic: true }] },
      ],
      [
        { dst: 'default', gateway: '192.168.10.1', dev: 'cloudbr0' },
        { dst: '10.1.0.0/16', dev: 'cloudbr1', protocol: 'kernel' },
        { dst: '169.254.0.0/16', dev: 'cloudbr0' },
        { dst: '192.168.10.0/24', dev: 'cloudbr0', protocol: 'kernel' },
      ],
    );
    expect(text).toEqual(json);
    expect(text.addresses).toContainEqual({ dev: 'cloudbr1', address: '10.1.0.21', prefix: 16, dynamic: true });
    const ovs = parseOvsSection('bridge cloudbr0 cloudbr0 0\nport cloudbr0 bond0\nport cloudbr0 vnet0\nbridge cloudbr1 cloudbr0 200\n');
    const merged = mergeOvsLinks(text, ovs);
    expect(merged.links.find((l) => l.name === 'cloudbr1')).toMatchObject({ kind: 'ovs-fake-bridge', parent: 'cloudbr0', vlanId: 200 });
    expect(merged.links.find((l) => l.name === 'vnet0')).toBeDefined();
  });

  it("reads each NIC's MAC: a bond port's permanent one (perm_hwaddr, permaddr), not the bond's it runs with", () => {
    const ovsHost = fixture('ip4.11-ovs-host.txt');
    expect(parseIpText(VERSION, ovsHost.link, ovsHost.addr, ovsHost.route).macs).toMatchObject({ eth0: '52:54:00:6b:1e:01', eth1: '52:54:00:6b:1e:02' });
    const newer = '2: eno2: <BROADCAST,MULTICAST,SLAVE,UP,LOWER_UP> mtu 1500 master bond0 state UP\\    link/ether 52:54:00:aa:00:01 brd ff:ff:ff:ff:ff:ff permaddr 52:54:00:AA:00:02 promiscuity 0\n';
    expect(parseIpText(VERSION, newer, '', '').macs).toEqual({ eno2: '52:54:00:aa:00:02' });
  });

  it("reads a Linux bond's mode, miimon, lacp_rate and xmit_hash_policy and a bridge's stp_state and forward_delay, as JSON's info_data gives them", () => {
    const bondHost = fixture('ip4.11-bond-host.txt');
    const text = parseIpText(VERSION, bondHost.link, bondHost.addr, bondHost.route);
    const byName = new Map(text.links.map((l) => [l.name, l]));
    expect(byName.get('bond0')).toEqual({
      name: 'bond0', kind: 'bond', master: 'cloudbr0', members: ['eth0', 'eth1'], up: true,
      bond: { mode: '802.3ad', miimon: 100, lacpRate: 'fast', xmitHashPolicy: 'layer3+4' },
    });
    // `active_slave eth2` sits between mode and miimon: the pairs are read by key, not by place
    expect(byName.get('bond1')?.bond).toEqual({ mode: 'active-backup', miimon: 100, lacpRate: 'slow', xmitHashPolicy: 'layer2' });
    expect(byName.get('cloudbr0')?.bridge).toEqual({ stp: false, forwardDelay: 0 });
    // a bridge port's forward_delay_timer is not the bridge's forward_delay
    expect(byName.get('cloudbr1')).toEqual({ name: 'cloudbr1', kind: 'bridge', members: ['bond1'], up: true, bridge: { stp: true, forwardDelay: 1500 } });
    const data = (name: string, mac: string) => ({ ifname: name, link_type: 'ether', address: mac, flags: ['BROADCAST', 'MULTICAST', 'SLAVE', 'UP', 'LOWER_UP'], mtu: 1500, linkinfo: { info_slave_kind: 'bond', info_slave_data: { perm_hwaddr: mac } } });
    const json = parseIpJson(
      [
        { ifname: 'lo', link_type: 'loopback', flags: ['LOOPBACK', 'UP', 'LOWER_UP'], mtu: 65536 },
        { ...data('eth0', '52:54:00:12:34:01'), master: 'bond0' },
        { ...data('eth1', '52:54:00:12:34:02'), master: 'bond0' },
        { ...data('eth2', '52:54:00:12:34:03'), master: 'bond1' },
        { ...data('eth3', '52:54:00:12:34:04'), master: 'bond1' },
        { ifname: 'bond0', link_type: 'ether', flags: ['BROADCAST', 'MULTICAST', 'MASTER', 'UP', 'LOWER_UP'], mtu: 1500, master: 'cloudbr0', linkinfo: { info_kind: 'bond', info_data: { mode: '802.3ad', miimon: 100, xmit_hash_policy: 'layer3+4', ad_lacp_rate: 'fast' }, info_slave_kind: 'bridge' } },
        { ifname: 'bond1', link_type: 'ether', flags: ['BROADCAST', 'MULTICAST', 'MASTER', 'UP', 'LOWER_UP'], mtu: 1500, master: 'cloudbr1', linkinfo: { info_kind: 'bond', info_data: { mode: 'active-backup', miimon: 100, xmit_hash_policy: 'layer2', ad_lacp_rate: 'slow' }, info_slave_kind: 'bridge' } },
        { ifname: 'cloudbr0', link_type: 'ether', flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'], mtu: 1500, linkinfo: { info_kind: 'bridge', info_data: { stp_state: 0, forward_delay: 0 } } },
        { ifname: 'cloudbr1', link_type: 'ether', flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'], mtu: 1500, linkinfo: { info_kind: 'bridge', info_data: { stp_state: 1, forward_delay: 1500 } } },
      ],
      [],
      [],
    );
    expect(text).toEqual(json);
  });

  it('is what the facts and verify outputs read when print_live printed the text sections', () => {
    const ovsHost = fixture('ip4.11-ovs-host.txt');
    const out = `\n@@hostnet:ip-link\n\n@@hostnet:ip-version\n${VERSION}\n@@hostnet:ip-text-link\n${ovsHost.link}\n@@hostnet:ip-text-addr\n${ovsHost.addr}\n@@hostnet:ip-text-route\n${ovsHost.route}\n@@hostnet:state\n`;
    const live = parseLiveSections(parseSections(out));
    expect(live.links.map((l) => l.name)).toEqual(['eth0', 'eth1', 'bond0', 'cloudbr0', 'cloudbr1', 'vnet0']);
    expect(live.addresses[0]).toEqual({ dev: 'cloudbr0', address: '192.168.10.21', prefix: 24 });
  });

  describe('an ip whose output is neither JSON nor this text fails, naming the ip and the fix (never an empty live state)', () => {
    it.each([
      ['nothing at all', ''],
      ['an error', 'Object "link" is unknown, try "ip help".'],
      ['a shell without ip', 'sh: ip: not found'],
      ['BusyBox ip', 'ip: invalid option -- \'o\'\nBusyBox v1.36.1 multi-call binary.'],
    ])('%s', (_what, text) => {
      expect(() => parseIpLinkText(VERSION, text)).toThrow(/the host's ip \(ip utility, iproute2-ss170501\) printed neither iproute2 JSON .* fix: install or repair the host's iproute2/);
    });

    it('an address or route line it cannot read', () => {
      expect(() => parseIpAddrText(VERSION, 'Cannot send dump request: Operation not permitted')).toThrow(/ip -o addr show read "Cannot send dump request/);
      expect(() => parseIpRouteText(VERSION, 'RTNETLINK answers: Operation not permitted')).toThrow(/ip -4 route show read "RTNETLINK answers/);
    });

    it('an ip that did not say its version either', () => {
      expect(() => parseIpText('', 'garbage', '', '')).toThrow(/the host's ip \(an ip that does not say its version\)/);
    });

    it('through the facts parser', () => {
      expect(() => parseLiveSections(parseSections('@@hostnet:ip-link\n@@hostnet:ip-version\n@@hostnet:ip-text-link\nsh: ip: not found\n'))).toThrow(/printed neither iproute2 JSON/);
    });
  });
});
