import { expectedLiveState } from '@hostnet/intent';
import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveState } from '@hostnet/intent/domain/live-state';
import { centosLinuxBridgeIntent, centosOvsIntent, ubuntuLinuxBridgeIntent, ubuntuOvsIntent } from '../../test/fixtures/reference-intents';
import type { RenderTargetId } from '../domain/rendered-config';
import { renderHost } from '../render-host';

/** The intent's host as it runs, plus the CloudStack agent's guest VLAN 200 on bond1: bond1.200 in brbond1-200 with a VM's tap. */
function withAgentVlan(intent: HostNetworkIntent): LiveState {
  const expected = expectedLiveState(intent);
  return {
    ...expected,
    links: [
      ...expected.links,
      { name: 'bond1.200', kind: 'vlan', parent: 'bond1', vlanId: 200, master: 'brbond1-200', up: true },
      { name: 'brbond1-200', kind: 'bridge', members: ['bond1.200', 'vnet5'], up: true },
      { name: 'vnet5', kind: 'nic', master: 'brbond1-200', up: true },
    ],
  };
}

/** The host's files: hostnet's rendering with one file edited, as facts would read them. */
function renderFrom(intent: HostNetworkIntent, target: RenderTargetId, live: LiveState, path: string, edit: (text: string) => string) {
  const fresh = renderHost(intent, target, { live });
  const previousFiles = new Map(fresh.files.map((f) => [f.path, { content: f.path === path ? edit(f.content) : f.content }]));
  expect(previousFiles.get(path)!.content).not.toEqual(fresh.files.find((f) => f.path === path)!.content);
  return renderHost(intent, target, { live, previousFiles });
}

describe('activation guard: devices of other owners stacked on a link the activation takes down', () => {
  const debian = (live: LiveState) => renderFrom(ubuntuLinuxBridgeIntent, 'debian-ifupdown-linux', live, '/etc/network/interfaces', (t) => t.replace(/bond-miimon 100/g, 'bond-miimon 200'));
  const el = (live: LiveState) =>
    renderFrom(centosLinuxBridgeIntent, 'el-network-scripts-linux', live, '/etc/sysconfig/network-scripts/ifcfg-bond1', (t) => t.replace('miimon=100', 'miimon=200'));

  it('Debian: a changed bond1 stanza would ifdown --force bond1 (ifenslave deletes it, and the agent\'s bond1.200 with it): refused, naming both', () => {
    const r = debian(withAgentVlan(ubuntuLinuxBridgeIntent));
    expect(r.refusal).toMatch(/^StackedDevicesError: this run's activation would take down bond1 \(under bond1\.200, ports of brbond1-200\).*nothing was changed; fix: migrate or stop the VMs/);
    expect(r.steps).toEqual([]);
    expect(r.undoSteps).toEqual([]);
  });

  it('EL: a changed ifcfg-bond1 would ifdown bond1: refused the same way', () => {
    const r = el(withAgentVlan(centosLinuxBridgeIntent));
    expect(r.refusal).toMatch(/^StackedDevicesError: .*take down bond1 \(under bond1\.200, ports of brbond1-200\)/);
    expect(r.steps).toEqual([]);
  });

  it('without the agent\'s VLAN the same change re-activates bond1', () => {
    for (const [r, down] of [
      [debian(expectedLiveState(ubuntuLinuxBridgeIntent)), 'activate-ifdown-bond1'],
      [el(expectedLiveState(centosLinuxBridgeIntent)), 'activate-ifdown-bond1'],
    ] as const) {
      expect(r.refusal).toBeUndefined();
      expect(r.steps.map((s) => s.name)).toContain(down);
    }
  });

  it('a VLAN the intent names on the bond (bond0.100) comes back with the activation: no refusal', () => {
    const live = withAgentVlan(ubuntuLinuxBridgeIntent);
    expect(live.links.find((l) => l.name === 'bond0.100')).toMatchObject({ kind: 'vlan', parent: 'bond0' });
    const r = renderFrom(ubuntuLinuxBridgeIntent, 'debian-ifupdown-linux', live, '/etc/network/interfaces', (t) => t.replace(/(iface bond0 [^]*?)bond-miimon 100/, '$1bond-miimon 200'));
    expect(r.refusal).toBeUndefined();
    expect(r.steps.map((s) => s.name)).toEqual(expect.arrayContaining(['activate-ifdown-bond0', 'activate-ifdown-bond0.100', 'activate-ifup-bond0.100']));
    expect(r.steps.map((s) => s.name)).not.toContain('activate-ifdown-bond1');
  });
});

describe('activation guard: addresses and routes the activation flushes and hostnet\'s files do not bring back', () => {
  const EL_BRIDGE = '/etc/sysconfig/network-scripts/ifcfg-cloudbr0';
  /** An operator's second address on cloudbr0 and a route through it. */
  function withExtras(intent: HostNetworkIntent): LiveState {
    const expected = expectedLiveState(intent);
    return {
      ...expected,
      addresses: [...expected.addresses, { dev: 'cloudbr0', address: '192.168.100.50', prefix: 24 }],
      routes: [...expected.routes, { to: '10.50.0.0/16', via: '192.168.100.254', dev: 'cloudbr0' }],
    };
  }

  it('EL: ifcfg-cloudbr0 giving the second address (hostnet\'s does not) would flush cloudbr0 before its ifup: refused, naming both', () => {
    const r = renderFrom(centosLinuxBridgeIntent, 'el-network-scripts-linux', withExtras(centosLinuxBridgeIntent), EL_BRIDGE, (t) => `${t}IPADDR1=192.168.100.50\nPREFIX1=24\n`);
    expect(r.refusal).toMatch(/^LostAddressingError: this run would take away address 192\.168\.100\.50\/24 on cloudbr0, route 10\.50\.0\.0\/16 via 192\.168\.100\.254 dev cloudbr0: they sit on cloudbr0, which this run's activation takes down or flushes/);
    expect(r.steps).toEqual([]);
  });

  it('EL: the host reached holds another management address on cloudbr0 (its SSH endpoint is another host\'s): the refusal says so before its fix', () => {
    const expected = expectedLiveState(centosLinuxBridgeIntent);
    expect(expected.addresses).toContainEqual(expect.objectContaining({ dev: 'cloudbr0', address: '192.168.100.20' }));
    const neighbour: LiveState = { ...expected, addresses: expected.addresses.map((a) => (a.address === '192.168.100.20' ? { ...a, address: '192.168.100.26' } : a)) };
    const r = renderFrom(centosLinuxBridgeIntent, 'el-network-scripts-linux', neighbour, EL_BRIDGE, (t) => t.replace('IPADDR=192.168.100.20', 'IPADDR=192.168.100.26'));
    expect(r.refusal).toMatch(
      /take away address 192\.168\.100\.26\/24 on cloudbr0: .*nothing was changed; the host reached holds 192\.168\.100\.26\/24 on cloudbr0 in the management network and not 192\.168\.100\.20, .*check the SSH endpoint hostnet was given for it \(nothing here is for you to remove\); fix: /,
    );
  });

  /** The host's files as hostnet's with the second address in ifcfg-cloudbr0, and the route through it in `routeFile`. */
  function withRouteFile(routeFile: string) {
    const live = withExtras(centosLinuxBridgeIntent);
    const fresh = renderHost(centosLinuxBridgeIntent, 'el-network-scripts-linux', { live });
    const previousFiles = new Map([
      ...fresh.files.map((f) => [f.path, { content: f.path === EL_BRIDGE ? `${f.content}IPADDR1=192.168.100.50\nPREFIX1=24\n` : f.content }] as const),
      [`/etc/sysconfig/network-scripts/${routeFile}`, { content: '10.50.0.0/16 via 192.168.100.254 dev cloudbr0\n' }] as const,
    ]);
    return renderHost(centosLinuxBridgeIntent, 'el-network-scripts-linux', { live, previousFiles });
  }

  it('EL: a route the host\'s route-cloudbr0 file gives comes back with ifup (ifup-routes): only the address is named', () => {
    expect(withRouteFile('route-cloudbr0').refusal).toMatch(/take away address 192\.168\.100\.50\/24 on cloudbr0: it sits on cloudbr0/);
  });

  it('EL: a backup of that route file (route-cloudbr0.bak) brings nothing back: the route is named too', () => {
    expect(withRouteFile('route-cloudbr0.bak').refusal).toMatch(/take away address 192\.168\.100\.50\/24 on cloudbr0, route 10\.50\.0\.0\/16 via 192\.168\.100\.254 dev cloudbr0/);
  });

  it('EL: a file that says PREFIX=24 where hostnet writes NETMASK re-activates nothing, so nothing is flushed', () => {
    const r = renderFrom(centosLinuxBridgeIntent, 'el-network-scripts-linux', withExtras(centosLinuxBridgeIntent), EL_BRIDGE, (t) => t.replace('NETMASK=255.255.255.0', 'PREFIX=24'));
    expect(r.refusal).toBeUndefined();
    expect(r.steps.filter((s) => s.name.includes('cloudbr0'))).toEqual([]);
  });

  it('Debian: a cloudbr0 stanza adding the second address would be flushed before its ifup: refused', () => {
    const r = renderFrom(ubuntuLinuxBridgeIntent, 'debian-ifupdown-linux', withExtras(ubuntuLinuxBridgeIntent), '/etc/network/interfaces', (t) =>
      t.replace(/(iface cloudbr0 inet static\n)/, '$1    up ip addr add 192.168.100.50/24 dev cloudbr0\n'),
    );
    expect(r.refusal).toMatch(/^LostAddressingError: this run would take away address 192\.168\.100\.50\/24 on cloudbr0, route 10\.50\.0\.0\/16 via 192\.168\.100\.254 dev cloudbr0: they sit on cloudbr0, which this run's activation/);
  });

  it('without the extras the same changes run', () => {
    const r = renderFrom(centosLinuxBridgeIntent, 'el-network-scripts-linux', expectedLiveState(centosLinuxBridgeIntent), EL_BRIDGE, (t) => `${t}IPADDR1=192.168.100.50\nPREFIX1=24\n`);
    expect(r.refusal).toBeUndefined();
    expect(r.steps.map((s) => s.name)).toContain('activate-ifup-cloudbr0');
  });
});

describe('activation guard: a whole-network restart the activation kept (no host files read, or one too large to read)', () => {
  const EL_BOND = '/etc/sysconfig/network-scripts/ifcfg-bond1';
  /** A VM's tap on hostnet's cloudbr1. */
  function withTap(intent: HostNetworkIntent): LiveState {
    const expected = expectedLiveState(intent);
    const links = expected.links.map((l) => (l.name === 'cloudbr1' ? { ...l, members: [...(l.members ?? []), 'vnet3'] } : l));
    return { ...expected, links: [...links, { name: 'vnet3', kind: 'nic', master: 'cloudbr1', up: true }] };
  }
  /** The host's files as hostnet renders them, `path` too large to read (facts ship no content). */
  const unreadableFrom = (intent: HostNetworkIntent, target: RenderTargetId, path: string) =>
    new Map(renderHost(intent, target).files.map((f) => [f.path, f.path === path ? {} : { content: f.content }]));

  it('EL without the host\'s files: `service network restart` would ifdown cloudbr1 (ifdown-eth deletes it) under a VM\'s tap: refused, naming the bridge, the tap and why', () => {
    const r = renderHost(centosLinuxBridgeIntent, 'el-network-scripts-linux', { live: withTap(centosLinuxBridgeIntent) });
    expect(r.refusal).toMatch(
      /^OccupiedBridgeDownError: this run's activation would take down cloudbr1 \(carrying vnet3\): ifdown deletes a bridge.*fix: migrate or stop the VMs on cloudbr1 \(put the host in Maintenance\).* \(the activation is the whole-network restart/,
    );
    expect(r.steps).toEqual([]);
    expect(r.undoSteps).toEqual([]);
  });

  it('EL with a changed file too large to read: the restart would ifdown bond1 under the agent\'s bond1.200: refused', () => {
    const live = withAgentVlan(centosLinuxBridgeIntent);
    const r = renderHost(centosLinuxBridgeIntent, 'el-network-scripts-linux', { live, previousFiles: unreadableFrom(centosLinuxBridgeIntent, 'el-network-scripts-linux', EL_BOND) });
    expect(r.refusal).toMatch(/^StackedDevicesError: .*take down bond1 \(under bond1\.200, ports of brbond1-200\).* \(the activation is the whole-network restart/);
  });

  it('Debian with the interfaces file too large to read: `networking restart` (ifdown -a) would flush an operator\'s address on cloudbr0: refused', () => {
    const expected = expectedLiveState(ubuntuLinuxBridgeIntent);
    const live = { ...expected, addresses: [...expected.addresses, { dev: 'cloudbr0', address: '192.168.100.50', prefix: 24 }] };
    const r = renderHost(ubuntuLinuxBridgeIntent, 'debian-ifupdown-linux', { live, previousFiles: unreadableFrom(ubuntuLinuxBridgeIntent, 'debian-ifupdown-linux', '/etc/network/interfaces') });
    expect(r.refusal).toMatch(/^LostAddressingError: this run would take away address 192\.168\.100\.50\/24 on cloudbr0: .* \(the activation is the whole-network restart/);
    expect(renderHost(ubuntuLinuxBridgeIntent, 'debian-ifupdown-linux', { live: withTap(ubuntuLinuxBridgeIntent) }).refusal).toMatch(/^OccupiedBridgeDownError: .*cloudbr1 \(carrying vnet3\)/);
  });

  it('EL OVS without the host\'s files: the restart would ifdown cloudbr0 (ifdown-ovs del-br) under a VM\'s port: refused', () => {
    const expected = expectedLiveState(centosOvsIntent);
    const live = { ...expected, links: [...expected.links, { name: 'vnet1', kind: 'nic' as const, master: 'cloudbr0', up: true }] };
    expect(renderHost(centosOvsIntent, 'el-network-scripts-ovs', { live }).refusal).toMatch(/^OccupiedBridgeDownError: this run's activation would take down cloudbr0 \(carrying vnet1\)/);
    expect(renderHost(centosOvsIntent, 'el-network-scripts-ovs', { live: expected }).refusal).toBeUndefined();
  });

  it('with the host\'s files read the narrower activation takes no bridge down: the same host runs', () => {
    const live = withTap(centosLinuxBridgeIntent);
    const previousFiles = new Map(renderHost(centosLinuxBridgeIntent, 'el-network-scripts-linux').files.map((f) => [f.path, { content: f.content }]));
    const r = renderHost(centosLinuxBridgeIntent, 'el-network-scripts-linux', { live, previousFiles });
    expect(r.refusal).toBeUndefined();
    expect(r.steps.map((s) => s.name)).not.toContain('network-restart');
  });

  it('a host with nothing of others\' on what the restart takes down still restarts; netplan apply deletes no bridge: a VM\'s tap stays plugged', () => {
    const r = renderHost(centosLinuxBridgeIntent, 'el-network-scripts-linux', { live: expectedLiveState(centosLinuxBridgeIntent) });
    expect(r.refusal).toBeUndefined();
    expect(r.steps.map((s) => s.name)).toContain('network-restart');
    const netplan = renderHost(ubuntuLinuxBridgeIntent, 'netplan-linux', { live: withTap(ubuntuLinuxBridgeIntent) });
    expect(netplan.refusal).toBeUndefined();
    expect(netplan.steps.map((s) => s.name)).toContain('netplan-apply');
  });
});

describe('activation guard: NetworkManager re-activating a profile active on its device (nmcli connection up)', () => {
  const NM = 'networkmanager-linux';
  const profile = (name: string) => `/etc/NetworkManager/system-connections/${name}.nmconnection`;
  /** The host's profiles as hostnet renders them, `name`'s edited (a changed option: the run re-activates it). */
  const changed = (live: LiveState, name: string, edit = (t: string) => `${t}\n# hand edit\n`) => renderFrom(centosLinuxBridgeIntent, NM, live, profile(name), edit);

  it('a changed bond1 profile: `nmcli connection up bond1` deactivates bond1, and the agent\'s bond1.200 on it loses its link: refused, naming both and why', () => {
    const r = changed(withAgentVlan(centosLinuxBridgeIntent), 'bond1');
    expect(r.refusal).toMatch(/^StackedDevicesError: this run's activation would take down bond1 \(under bond1\.200, ports of brbond1-200\).* \(NetworkManager: `nmcli connection up` of a profile active on its device deactivates/);
    expect(r.steps).toEqual([]);
  });

  it('a changed cloudbr1 profile cycles its port bond1 with it: refused the same way; without the host\'s profiles every bridge is brought up: refused too', () => {
    expect(changed(withAgentVlan(centosLinuxBridgeIntent), 'cloudbr1').refusal).toMatch(/^StackedDevicesError: .*take down bond1 \(under bond1\.200/);
    expect(renderHost(centosLinuxBridgeIntent, NM, { live: withAgentVlan(centosLinuxBridgeIntent) }).refusal).toMatch(/^StackedDevicesError: .*take down bond1 \(under bond1\.200/);
  });

  it('a changed cloudbr0 profile would drop an operator\'s second address on cloudbr0 (deactivation flushes what the profile does not give): refused', () => {
    const expected = expectedLiveState(centosLinuxBridgeIntent);
    const live = { ...expected, addresses: [...expected.addresses, { dev: 'cloudbr0', address: '192.168.100.50', prefix: 24 }] };
    expect(changed(live, 'cloudbr0').refusal).toMatch(/^LostAddressingError: this run would take away address 192\.168\.100\.50\/24 on cloudbr0: .*\(NetworkManager: /);
  });

  it('a VM tap on a re-activated bridge stays plugged (NetworkManager keeps the bridge), and a host with nothing of others\' runs', () => {
    const expected = expectedLiveState(centosLinuxBridgeIntent);
    const tapped = { ...expected, links: [...expected.links.map((l) => (l.name === 'cloudbr1' ? { ...l, members: [...(l.members ?? []), 'vnet3'] } : l)), { name: 'vnet3', kind: 'nic' as const, master: 'cloudbr1', up: true }] };
    for (const live of [tapped, expected]) {
      const r = changed(live, 'cloudbr1');
      expect(r.refusal).toBeUndefined();
      expect(r.steps.map((s) => s.name)).toContain('nmcli-up-cloudbr1');
    }
  });
});

describe('activation guard: netplan apply has systemd-networkd reconfigure every link hostnet\'s netplan file names', () => {
  const files = (intent: HostNetworkIntent, target: RenderTargetId) => new Map(renderHost(intent, target).files.map((f) => [f.path, { content: `${f.content}# an older hostnet\n` }]));
  const netplan = (live: LiveState) => renderHost(ubuntuLinuxBridgeIntent, 'netplan-linux', { live, previousFiles: files(ubuntuLinuxBridgeIntent, 'netplan-linux') });

  it("the bond's members are re-enslaved (set down first): the agent's bond1.200 under brbond1-200 loses its link: refused, naming both, why and the fix", () => {
    const r = netplan(withAgentVlan(ubuntuLinuxBridgeIntent));
    expect(r.refusal).toMatch(
      /^StackedDevicesError: this run's activation would take down bond1 \(under bond1\.200, ports of brbond1-200\): netplan apply has systemd-networkd reconfigure the bond, which sets its members down .*fix: migrate or stop the VMs on those VLANs.* \(netplan: `netplan apply` has systemd-networkd reconfigure every link/,
    );
    expect(r.steps).toEqual([]);
    expect(r.undoSteps).toEqual([]);
  });

  it("an operator's second address on cloudbr0 and the route through it are dropped by the reconfiguration (no netplan file gives them): refused, naming them", () => {
    const expected = expectedLiveState(ubuntuLinuxBridgeIntent);
    const live = {
      ...expected,
      addresses: [...expected.addresses, { dev: 'cloudbr0', address: '192.168.100.50', prefix: 24 }],
      routes: [...expected.routes, { to: '10.50.0.0/16', via: '192.168.100.254', dev: 'cloudbr0' }],
    };
    expect(netplan(live).refusal).toMatch(/^LostAddressingError: this run would take away address 192\.168\.100\.50\/24 on cloudbr0, route 10\.50\.0\.0\/16 via 192\.168\.100\.254 dev cloudbr0: .*\(netplan: /);
    // netplan-ovs: cloudbr0's internal port is networkd's too
    const ovs = expectedLiveState(ubuntuOvsIntent);
    const ovsLive = { ...ovs, addresses: [...ovs.addresses, { dev: 'cloudbr0', address: '192.168.100.50', prefix: 24 }] };
    expect(renderHost(ubuntuOvsIntent, 'netplan-ovs', { live: ovsLive, previousFiles: files(ubuntuOvsIntent, 'netplan-ovs') }).refusal).toMatch(/^LostAddressingError: .*192\.168\.100\.50\/24 on cloudbr0/);
  });

  it('a host whose files are the run\'s already applies nothing (a no-op): the agent\'s VLAN and an operator\'s address do not refuse it', () => {
    const expected = expectedLiveState(ubuntuLinuxBridgeIntent);
    const live = { ...withAgentVlan(ubuntuLinuxBridgeIntent), addresses: [...expected.addresses, { dev: 'cloudbr0', address: '192.168.100.50', prefix: 24 }] };
    const same = new Map(renderHost(ubuntuLinuxBridgeIntent, 'netplan-linux').files.map((f) => [f.path, { content: f.content }]));
    expect(renderHost(ubuntuLinuxBridgeIntent, 'netplan-linux', { live, previousFiles: same }).refusal).toBeUndefined();
  });

  it("forced on a host whose files are the run's already with nothing drifted: no netplan apply to run unjudged (it would drop the operator's address, bounce bond1 under the agent's bond1.200), a re-check", () => {
    const expected = expectedLiveState(ubuntuLinuxBridgeIntent);
    const live = { ...withAgentVlan(ubuntuLinuxBridgeIntent), addresses: [...expected.addresses, { dev: 'cloudbr0', address: '192.168.100.50', prefix: 24 }] };
    const same = new Map(renderHost(ubuntuLinuxBridgeIntent, 'netplan-linux').files.map((f) => [f.path, { content: f.content }]));
    const r = renderHost(ubuntuLinuxBridgeIntent, 'netplan-linux', { live, previousFiles: same });
    expect(r.refusal).toBeUndefined();
    expect(r.steps).toEqual([]);
    expect(r.files.map((f) => f.path)).toEqual([...same.keys()]);
    // netplan-ovs alike
    const ovs = expectedLiveState(ubuntuOvsIntent);
    const ovsSame = new Map(renderHost(ubuntuOvsIntent, 'netplan-ovs').files.map((f) => [f.path, { content: f.content }]));
    const ovsLive = { ...ovs, addresses: [...ovs.addresses, { dev: 'cloudbr0', address: '192.168.100.50', prefix: 24 }] };
    expect(renderHost(ubuntuOvsIntent, 'netplan-ovs', { live: ovsLive, previousFiles: ovsSame }).steps).toEqual([]);
  });

  it("a host whose files are the run's already and whose bond1 runs another miimon: the parameter step runs, netplan apply does not (it would bounce bond1 under the agent's bond1.200)", () => {
    const agent = withAgentVlan(ubuntuLinuxBridgeIntent);
    const live = { ...agent, links: agent.links.map((l) => (l.name === 'bond1' ? { ...l, bond: { ...l.bond, miimon: 200 } } : l)) };
    const same = new Map(renderHost(ubuntuLinuxBridgeIntent, 'netplan-linux').files.map((f) => [f.path, { content: f.content }]));
    const r = renderHost(ubuntuLinuxBridgeIntent, 'netplan-linux', { live, previousFiles: same });
    expect(r.refusal).toBeUndefined();
    expect(r.steps.map((s) => s.argv.join(' '))).toEqual(['ip link set dev bond1 type bond miimon 100']);
    expect((r.undoSteps ?? []).map((s) => s.argv.join(' '))).toEqual(['ip link set dev bond1 type bond miimon 200']);
    // drift only netplan apply repairs (a VLAN of the intent gone) keeps it, and it is judged: refused for bond1.200
    const noVlan = { ...live, links: live.links.filter((l) => l.name !== 'bond0.100') };
    expect(renderHost(ubuntuLinuxBridgeIntent, 'netplan-linux', { live: noVlan, previousFiles: same }).refusal).toMatch(/^StackedDevicesError: this run's activation would take down bond1 /);
    // a changed file still applies, and is still judged
    expect(netplan(live).refusal).toMatch(/^StackedDevicesError: this run's activation would take down bond1 /);
  });

  it("files unchanged, a bridge found down with the agent's bond1.200 on bond1: `ip link set up` only, which is what networkd's reconfiguration would do for it, and no netplan apply", () => {
    const agent = withAgentVlan(ubuntuLinuxBridgeIntent);
    const same = new Map(renderHost(ubuntuLinuxBridgeIntent, 'netplan-linux').files.map((f) => [f.path, { content: f.content }]));
    const down = { ...agent, links: agent.links.map((l) => (l.name === 'cloudbr1' ? { ...l, up: false } : l)) };
    const r = renderHost(ubuntuLinuxBridgeIntent, 'netplan-linux', { live: down, previousFiles: same });
    expect(r.refusal).toBeUndefined();
    expect(r.steps.map((s) => s.argv.join(' '))).toEqual(['ip link set dev cloudbr1 up']);
    // an MTU lowered by hand on a VLAN of the intent, the same: `ip link set mtu`, no apply
    const held = { ...agent, links: agent.links.map((l) => (l.name === 'bond0.100' ? { ...l, mtu: 1400 } : l)) };
    const mtu = renderHost(ubuntuLinuxBridgeIntent, 'netplan-linux', { live: held, previousFiles: same });
    expect(mtu.refusal).toBeUndefined();
    expect(mtu.steps.map((s) => s.name)).not.toContain('netplan-apply');
    expect(mtu.steps.map((s) => s.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^mtu-bond0\.100$/)]));
  });

  it("files unchanged, drift only netplan apply repairs (a VLAN gone, cloudbr0's address gone): the apply is judged, refused where it would cost the agent's VLAN or an operator's address, naming the drift and the fix", () => {
    const same = new Map(renderHost(ubuntuLinuxBridgeIntent, 'netplan-linux').files.map((f) => [f.path, { content: f.content }]));
    const agent = withAgentVlan(ubuntuLinuxBridgeIntent);
    const noVlan = { ...agent, links: agent.links.filter((l) => l.name !== 'bond0.100') };
    const r = renderHost(ubuntuLinuxBridgeIntent, 'netplan-linux', { live: noVlan, previousFiles: same });
    expect(r.refusal).toMatch(/^StackedDevicesError: this run's activation would take down bond1 \(under bond1\.200, ports of brbond1-200\)/);
    expect(r.refusal).toMatch(/the host's files are this run's already, and it would run netplan apply for live drift no narrower step repairs \(vlan bond0\.100 is missing.*\): or repair that by hand/);
    expect(r.steps).toEqual([]);
    expect(r.undoSteps).toEqual([]);
    const expected = expectedLiveState(ubuntuLinuxBridgeIntent);
    const mgmt = expected.addresses.find((a) => a.dev === 'cloudbr0')!;
    const lost = { ...expected, addresses: [...expected.addresses.filter((a) => a !== mgmt), { dev: 'cloudbr0', address: '192.168.100.50', prefix: 24 }] };
    expect(renderHost(ubuntuLinuxBridgeIntent, 'netplan-linux', { live: lost, previousFiles: same }).refusal).toMatch(/^LostAddressingError: .*192\.168\.100\.50\/24 on cloudbr0.*is not on cloudbr0/);
    // nothing of others' in the way: the apply runs, as it would for a changed file
    const bare = { ...expected, links: expected.links.filter((l) => l.name !== 'bond0.100') };
    const ok = renderHost(ubuntuLinuxBridgeIntent, 'netplan-linux', { live: bare, previousFiles: same });
    expect(ok.refusal).toBeUndefined();
    expect(ok.steps.map((s) => s.name)).toContain('netplan-apply');
  });

  it("what no .network file names is left alone (a VM's tap and its address): runs; so does an OVS host, whose bonds are no kernel bonds", () => {
    const expected = expectedLiveState(ubuntuLinuxBridgeIntent);
    const tapped = { ...expected, links: [...expected.links, { name: 'vnet3', kind: 'nic' as const, master: 'cloudbr1', up: true }], addresses: [...expected.addresses, { dev: 'vnet3', address: '192.168.7.7', prefix: 24 }] };
    expect(netplan(tapped).refusal).toBeUndefined();
    expect(netplan(expected).steps.map((s) => s.name)).toContain('netplan-apply');
    expect(renderHost(ubuntuOvsIntent, 'netplan-ovs', { live: expectedLiveState(ubuntuOvsIntent), previousFiles: files(ubuntuOvsIntent, 'netplan-ovs') }).refusal).toBeUndefined();
  });
});
