import { expectedLiveState, relabelIntent, type RelabelLayoutRequest } from '@hostnet/intent';
import { centosLinuxBridgeIntent, centosOvsIntent, ubuntuLinuxBridgeIntent, ubuntuOvsIntent } from '../../test/fixtures/reference-intents';
import { UnsupportedBackendError } from '../domain/render-errors';
import { renderHost } from '../render-host';

/** The expand layout of a relabel (Public cloudbr1 → cloudbr9) on every OVS target: files, live steps, transitions and undo. */
const step = (layout: RelabelLayoutRequest['layout']): RelabelLayoutRequest => ({
  layout,
  changes: [{ physicalNetworkId: 'pn2', trafficType: 'Public', oldLabel: 'cloudbr1', newLabel: 'cloudbr9' }],
});
// Splinters off: expectedLiveState carries no other_config, so a splinter step would show in every re-plan here.
const centos = { ...centosOvsIntent, vlanSplinters: false };
const both = relabelIntent(centos, step('both'));
const ubuntuBoth = relabelIntent(ubuntuOvsIntent, step('both'));
const file = (c: ReturnType<typeof renderHost>, path: string) => c.files.find((f) => f.path === path)?.content;

describe('relabel expand layout (OVS patch pair) on every OVS target', () => {
  it('el-network-scripts-ovs: an OVSPatchPort ifcfg per end, and the new bridge', () => {
    const c = renderHost(both, 'el-network-scripts-ovs');
    expect(file(c, '/etc/sysconfig/network-scripts/ifcfg-pt-cloudbr9')).toBe(
      'DEVICE=pt-cloudbr9\nONBOOT=yes\nDEVICETYPE=ovs\nTYPE=OVSPatchPort\nOVS_BRIDGE=cloudbr1\nOVS_PATCH_PEER=pt-cloudbr1\nHOTPLUG=no\n',
    );
    expect(file(c, '/etc/sysconfig/network-scripts/ifcfg-pt-cloudbr1')).toContain('OVS_BRIDGE=cloudbr9\nOVS_PATCH_PEER=pt-cloudbr9\n');
    expect(file(c, '/etc/sysconfig/network-scripts/ifcfg-cloudbr9')).toContain('TYPE=OVSBridge');
    expect(file(c, '/etc/sysconfig/network-scripts/ifcfg-bond1')).toContain('OVS_BRIDGE=cloudbr1');
  });

  it('from scratch: one live step per patch port, after both bridges exist', () => {
    const names = renderHost(both, 'el-network-scripts-ovs').steps.map((s) => s.name);
    expect(names.indexOf('ovs-add-patch-pt-cloudbr9')).toBeGreaterThan(names.indexOf('ovs-add-br-cloudbr9'));
    const patch = renderHost(both, 'el-network-scripts-ovs').steps.find((s) => s.name === 'ovs-add-patch-pt-cloudbr9');
    expect(patch?.argv).toEqual(['ovs-vsctl', '--may-exist', 'add-port', 'cloudbr1', 'pt-cloudbr9', '--', 'set', 'interface', 'pt-cloudbr9', 'type=patch', 'options:peer=pt-cloudbr1']);
  });

  it('debian-ifupdown-ovs: OVSPatchPort stanzas listed in their bridges\' ovs_ports', () => {
    const text = file(renderHost(ubuntuBoth, 'debian-ifupdown-ovs'), '/etc/network/interfaces')!;
    expect(text).toContain('allow-cloudbr1 pt-cloudbr9\niface pt-cloudbr9 inet manual\novs_bridge cloudbr1\novs_type OVSPatchPort\novs_patch_peer pt-cloudbr1\n');
    expect(text).toContain('ovs_type OVSBridge\novs_ports bond1 pt-cloudbr9\n');
    expect(text).toContain('allow-ovs cloudbr9\niface cloudbr9 inet manual\novs_type OVSBridge\novs_ports pt-cloudbr1\n');
  });

  it('netplan-ovs: openvswitch.ports pairs, each end an interface of its bridge', () => {
    const text = file(renderHost(ubuntuBoth, 'netplan-ovs'), '/etc/netplan/60-hostnet.yaml')!;
    expect(text).toContain('  renderer: networkd\n  openvswitch:\n    ports:\n      - [pt-cloudbr9, pt-cloudbr1]\n');
    expect(text).toContain('    cloudbr1:\n      interfaces: [bond1, pt-cloudbr9]\n');
    expect(text).toContain('    cloudbr9:\n      interfaces: [pt-cloudbr1]\n');
  });

  it('old → both: add the bridge and the patch pair; the undo deletes the pair and leaves the bridge to the restore; a re-plan is empty', () => {
    const old = relabelIntent(centos, step('old'));
    const c = renderHost(both, 'el-network-scripts-ovs', { live: expectedLiveState(old), previous: expectedLiveState(old) });
    expect(c.steps.filter((s) => s.phase === 'live').map((s) => s.name)).toEqual(['ovs-add-br-cloudbr9', 'ovs-add-patch-pt-cloudbr9', 'ovs-add-patch-pt-cloudbr1']);
    expect(c.undoSteps).toEqual([
      { name: 'ovs-undo-transition', phase: 'live', argv: ['ovs-vsctl', '--if-exists', 'del-port', 'pt-cloudbr9', '--', '--if-exists', 'del-port', 'pt-cloudbr1'] },
    ]);
    const again = renderHost(both, 'el-network-scripts-ovs', { live: expectedLiveState(both), previous: expectedLiveState(both) });
    expect(again.steps.filter((s) => s.phase === 'live')).toEqual([]);
  });

  it('both → new: the uplink moves and the patch ports go in one transaction, the old bridge is retired; the undo rebuilds the patch with its peer', () => {
    const live = expectedLiveState(both);
    const withIfaces = {
      ...live,
      links: live.links.map((l) => (l.name.startsWith('pt-') ? { ...l, ovsInterface: { type: 'patch', otherConfig: {}, options: { peer: l.name === 'pt-cloudbr9' ? 'pt-cloudbr1' : 'pt-cloudbr9' } } } : l)),
    };
    const c = renderHost(relabelIntent(centos, step('new')), 'el-network-scripts-ovs', { live: withIfaces, previous: live });
    expect(c.steps.filter((s) => s.phase === 'live').map((s) => s.name)).toEqual(['ovs-transition-ports', 'ovs-del-br-cloudbr1']);
    expect(c.removes).toEqual(expect.arrayContaining(['/etc/sysconfig/network-scripts/ifcfg-cloudbr1', '/etc/sysconfig/network-scripts/ifcfg-pt-cloudbr9', '/etc/sysconfig/network-scripts/ifcfg-pt-cloudbr1']));
    const undo = c.undoSteps![0].argv.join(' ');
    expect(undo).toContain('add-port cloudbr1 pt-cloudbr9 -- set interface pt-cloudbr9 type=patch options:peer=pt-cloudbr1');
    expect(undo.indexOf('add-br cloudbr1')).toBeLessThan(undo.indexOf('add-port cloudbr1 pt-cloudbr9'));
  });

  it('both → new with a VM tap left on the old bridge: the uplink moves, the old bridge and its patch pair stay, so the VM keeps its path', () => {
    const live = expectedLiveState(both);
    const tapped = {
      ...live,
      links: [
        ...live.links.map((l) => (l.name.startsWith('pt-') ? { ...l, ovsInterface: { type: 'patch', otherConfig: {}, options: { peer: l.name === 'pt-cloudbr9' ? 'pt-cloudbr1' : 'pt-cloudbr9' } } } : l)),
        { name: 'vnet0', kind: 'nic' as const, master: 'cloudbr1', ovsPort: { otherConfig: {} } },
      ],
    };
    const c = renderHost(relabelIntent(centos, step('new')), 'el-network-scripts-ovs', { live: tapped, previous: live });
    const liveSteps = c.steps.filter((s) => s.phase === 'live');
    expect(liveSteps.map((s) => s.name)).toEqual(['ovs-transition-ports']);
    expect(liveSteps[0]!.argv.join(' ')).toContain('add-bond cloudbr9 bond1');
    expect(JSON.stringify([c.steps, c.undoSteps])).not.toMatch(/del-port", "pt-|del-br", "cloudbr1"|vnet0/);
    expect(c.removes).not.toEqual(expect.arrayContaining(['/etc/sysconfig/network-scripts/ifcfg-pt-cloudbr9']));
  });

  it('el-network-scripts-linux refuses the veth layout (not rendered yet), naming the field and the fix', () => {
    const linuxBoth = relabelIntent(centosLinuxBridgeIntent, step('both'));
    expect(() => renderHost(linuxBoth, 'el-network-scripts-linux')).toThrow(UnsupportedBackendError);
    expect(() => renderHost(linuxBoth, 'el-network-scripts-linux')).toThrow(/^links: target el-network-scripts-linux does not render bridge links .*fix: /);
  });
});

describe('relabel expand layout (veth pair) on debian-ifupdown-linux, networkmanager-linux and netplan-linux', () => {
  const linuxOld = relabelIntent(ubuntuLinuxBridgeIntent, step('old'));
  const linuxBoth = relabelIntent(ubuntuLinuxBridgeIntent, step('both'));
  const linuxNew = relabelIntent(ubuntuLinuxBridgeIntent, step('new'));
  const argv = (steps: { argv: string[] }[] | undefined) => (steps ?? []).map((s) => s.argv.join(' '));
  const undoDel = (dev: string) => `sh -c ip link del dev "$1" 2>/dev/null || ! ip link show dev "$1" >/dev/null 2>&1 sh ${dev}`;
  const LINUX_TARGETS = ['debian-ifupdown-linux', 'networkmanager-linux', 'netplan-linux'] as const;

  it.each(LINUX_TARGETS)('%s, old → both: new bridge (STP off) and veth pair up in both bridges, learning nothing until the uplink has moved in one call; the undo puts it back and deletes the pair, the bridge is the restore\'s', (target) => {
    const c = renderHost(linuxBoth, target, { live: expectedLiveState(linuxOld), previous: expectedLiveState(linuxOld) });
    const made = [
      'ip link add name cloudbr9 type bridge stp_state 0 forward_delay 0',
      'ip link set dev cloudbr9 up',
      'ip link add name ethl-cloudbr9 type veth peer name lnk-cloudbr1',
      'ip link set dev ethl-cloudbr9 master cloudbr1',
      'ip link set dev ethl-cloudbr9 type bridge_slave learning off',
      'ip link set dev ethl-cloudbr9 up',
      'ip link set dev lnk-cloudbr1 master cloudbr9',
      'ip link set dev lnk-cloudbr1 type bridge_slave learning off',
      'ip link set dev lnk-cloudbr1 up',
    ];
    const moved = [
      'ip link set dev bond1 master cloudbr9',
      'ip link set dev ethl-cloudbr9 type bridge_slave fdb_flush learning on',
      'ip link set dev lnk-cloudbr1 type bridge_slave fdb_flush learning on',
    ];
    // networkd's activation moves the uplink itself, and would put back one moved ahead of it
    const order = target === 'netplan-linux' ? [...made, 'netplan apply', ...moved] : [...made, ...moved];
    expect(argv(c.steps).slice(0, order.length)).toEqual(order);
    expect(argv(c.undoSteps)).toEqual([
      'sh -c ip link set dev "$1" master "$2" 2>/dev/null || ip link set dev "$1" nomaster sh bond1 cloudbr1',
      undoDel('ethl-cloudbr9'),
    ]);
    expect(c.removes.filter((p) => p.includes('hostnet-'))).toEqual([]);
  });

  it.each(LINUX_TARGETS)('%s: a re-run on the expand layout plans no live step', (target) => {
    const again = renderHost(linuxBoth, target, { live: expectedLiveState(linuxBoth), previous: expectedLiveState(linuxBoth) });
    expect(again.steps.filter((s) => s.argv[0] === 'ip')).toEqual([]);
  });

  it('the veth carries the uplink MTU on both ends (a bridge runs at its smallest port MTU)', () => {
    const jumbo = { ...ubuntuLinuxBridgeIntent, bonds: ubuntuLinuxBridgeIntent.bonds.map((b) => (b.name === 'bond1' ? { ...b, mtu: 9000 } : b)) };
    const nics = jumbo.nics.map((n) => (n.bond === 'bond1' ? { ...n, mtu: 9000 } : n));
    const c = renderHost(relabelIntent({ ...jumbo, nics }, step('both')), 'debian-ifupdown-linux', { live: expectedLiveState(linuxOld), previous: expectedLiveState(linuxOld) });
    expect(argv(c.steps)).toContain('ip link add name ethl-cloudbr9 mtu 9000 type veth peer name lnk-cloudbr1 mtu 9000');
    expect(file(c, '/etc/network/interfaces')).toContain('|| ip link add ethl-cloudbr9 mtu 9000 type veth peer name lnk-cloudbr1 mtu 9000\n');
  });

  it('both → new: the veth pair and the emptied old bridge are deleted, then the activation', () => {
    const c = renderHost(linuxNew, 'debian-ifupdown-linux', { live: expectedLiveState(linuxBoth), previous: expectedLiveState(linuxBoth) });
    expect(argv(c.steps)).toEqual(['ip link del dev ethl-cloudbr9', 'ip link del dev cloudbr1', 'sysctl -e -p /etc/sysctl.d/60-hostnet-bridge.conf', 'service networking restart']);
    expect(file(c, '/etc/network/interfaces')).not.toMatch(/ethl-|lnk-|cloudbr1\b/);
  });

  it('netplan-linux: a port moving into a running bridge moves after netplan apply (systemd-networkd puts back a port moved under its old configuration)', () => {
    const moved = { ...linuxOld, bonds: linuxOld.bonds.map((b) => (b.name === 'bond1' ? { ...b, bridge: 'cloudbr0' } : b)) };
    const c = renderHost(moved, 'netplan-linux', { live: expectedLiveState(linuxOld), previous: expectedLiveState(linuxOld) });
    expect(argv(c.steps)).toEqual(['netplan apply', 'ip link set dev bond1 master cloudbr0']);
    expect(argv(renderHost(moved, 'debian-ifupdown-linux', { live: expectedLiveState(linuxOld), previous: expectedLiveState(linuxOld) }).steps)[0]).toBe('ip link set dev bond1 master cloudbr0');
  });

  it('both → new with a VM tap left on the old bridge: bridge and veth stay, so that VM keeps its path to the uplink', () => {
    const live = expectedLiveState(linuxBoth);
    live.links = [...live.links.map((l) => (l.name === 'cloudbr1' ? { ...l, members: ['ethl-cloudbr9', 'vnet3'] } : l)), { name: 'vnet3', kind: 'nic', master: 'cloudbr1' }];
    const c = renderHost(linuxNew, 'debian-ifupdown-linux', { live, previous: expectedLiveState(linuxBoth) });
    expect(argv(c.steps).filter((a) => a.startsWith('ip '))).toEqual([]);
  });

  it('both → old (rollback): the uplink moves straight back, then the veth pair and the new bridge go', () => {
    const c = renderHost(linuxOld, 'debian-ifupdown-linux', { live: expectedLiveState(linuxBoth), previous: expectedLiveState(linuxBoth) });
    expect(argv(c.steps).slice(0, 3)).toEqual(['ip link set dev bond1 master cloudbr1', 'ip link del dev ethl-cloudbr9', 'ip link del dev cloudbr9']);
    expect(argv(c.undoSteps)).toEqual(['sh -c ip link set dev "$1" master "$2" 2>/dev/null || ip link set dev "$1" nomaster sh bond1 cloudbr9']);
  });

  it('networkmanager-linux: one veth profile per end, a port of its bridge; both → new removes them with the old bridge', () => {
    const c = renderHost(linuxBoth, 'networkmanager-linux');
    expect(file(c, '/etc/NetworkManager/system-connections/ethl-cloudbr9.nmconnection')).toMatch(
      /^\[connection\]\nid=ethl-cloudbr9\nuuid=[0-9a-f-]{36}\ntype=veth\ninterface-name=ethl-cloudbr9\nmaster=cloudbr1\nslave-type=bridge\n\n\[veth\]\npeer=lnk-cloudbr1\n$/,
    );
    expect(file(c, '/etc/NetworkManager/system-connections/lnk-cloudbr1.nmconnection')).toContain('master=cloudbr9\nslave-type=bridge\n\n[veth]\npeer=ethl-cloudbr9\n');
    const contract = renderHost(linuxNew, 'networkmanager-linux', { live: expectedLiveState(linuxBoth), previous: expectedLiveState(linuxBoth) });
    expect(contract.removes).toEqual(
      expect.arrayContaining(['ethl-cloudbr9', 'lnk-cloudbr1', 'cloudbr1'].map((n) => `/etc/NetworkManager/system-connections/${n}.nmconnection`)),
    );
  });

  it('verification expects both bridges, the uplink in the new one and each veth end up in its bridge', () => {
    const want = new Map(expectedLiveState(linuxBoth).links.map((l) => [l.name, l]));
    expect(want.get('bond1')).toMatchObject({ master: 'cloudbr9' });
    expect(want.get('cloudbr1')).toMatchObject({ kind: 'bridge', members: ['ethl-cloudbr9'] });
    expect(want.get('cloudbr9')).toMatchObject({ kind: 'bridge', members: ['bond1', 'lnk-cloudbr1'] });
    expect(want.get('ethl-cloudbr9')).toEqual({ name: 'ethl-cloudbr9', kind: 'nic', master: 'cloudbr1', peer: 'lnk-cloudbr1', up: true });
  });
});
