import { expectedLiveState, relabelIntent, type RelabelLayoutRequest } from '@hostnet/intent';
import { centosLinuxBridgeIntent, centosOvsIntent, ubuntuOvsIntent } from '../../test/fixtures/reference-intents';
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

  it('old → both: add the bridge and the patch pair; the undo deletes them; a re-plan is empty', () => {
    const old = relabelIntent(centos, step('old'));
    const c = renderHost(both, 'el-network-scripts-ovs', { live: expectedLiveState(old), previous: expectedLiveState(old) });
    expect(c.steps.filter((s) => s.phase === 'live').map((s) => s.name)).toEqual(['ovs-add-br-cloudbr9', 'ovs-add-patch-pt-cloudbr9', 'ovs-add-patch-pt-cloudbr1']);
    expect(c.undoSteps).toEqual([
      { name: 'ovs-undo-transition', phase: 'live', argv: ['ovs-vsctl', '--if-exists', 'del-port', 'pt-cloudbr9', '--', '--if-exists', 'del-port', 'pt-cloudbr1', '--', '--if-exists', 'del-br', 'cloudbr9'] },
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

  it('linux targets refuse the veth layout (not rendered yet), naming the field and the fix', () => {
    const linuxBoth = relabelIntent(centosLinuxBridgeIntent, step('both'));
    expect(() => renderHost(linuxBoth, 'el-network-scripts-linux')).toThrow(UnsupportedBackendError);
    expect(() => renderHost(linuxBoth, 'el-network-scripts-linux')).toThrow(/^links: target el-network-scripts-linux does not render bridge links .*fix: /);
  });
});
