import { relabelIntent, type RelabelLayoutRequest } from '@hostnet/intent';
import { ubuntuLinuxBridgeIntent, ubuntuOvsIntent } from '../../test/fixtures/reference-intents';
import { renderHost } from '../render-host';
import { renderPaths } from '../render-paths';
import { NETWORKD_VETH_DROPIN } from './networkd-veth-dropin';

const step = (layout: RelabelLayoutRequest['layout']): RelabelLayoutRequest => ({
  layout,
  changes: [{ physicalNetworkId: 'pn2', trafficType: 'Public', oldLabel: 'cloudbr1', newLabel: 'cloudbr9' }],
});

describe("netplan-linux: a relabel's veth pair kept by a systemd-networkd drop-in", () => {
  it('both: the YAML leaves the pair out, the drop-in makes it at boot once both bridges exist', () => {
    const c = renderHost(relabelIntent(ubuntuLinuxBridgeIntent, step('both')), 'netplan-linux');
    expect(c.files.map((f) => [f.path, f.mode])).toEqual([
      ['/etc/netplan/60-hostnet.yaml', 0o600],
      [NETWORKD_VETH_DROPIN, 0o644],
    ]);
    expect(c.files[1]!.content).toBe(
      [
        "# hostnet: the veth pairs of a relabel's expand layout (docs/relabel.md), which netplan does not describe.",
        '# Made once networkd runs and both bridges exist; no .network matches their ends, so networkd leaves them alone.',
        '[Service]',
        "ExecStartPost=-/bin/sh -c 'n=0; until ip link show dev cloudbr1 >/dev/null 2>&1 && ip link show dev cloudbr9 >/dev/null 2>&1; do n=$$((n+1)); [ $$n -lt 100 ] || exit 1; sleep 0.1; done; " +
          'ip link show dev ethl-cloudbr9 >/dev/null 2>&1 || ip link add ethl-cloudbr9 type veth peer name lnk-cloudbr1; ' +
          "ip link set dev ethl-cloudbr9 master cloudbr1 up && ip link set dev lnk-cloudbr1 master cloudbr9 up'",
        '',
      ].join('\n'),
    );
    const yaml = c.files[0]!.content;
    expect(yaml).not.toContain('ethl-cloudbr9');
    expect(yaml).not.toContain('lnk-cloudbr1');
    expect(yaml).toContain('    cloudbr9:\n      interfaces: [bond1]\n');
    expect(c.removes).toEqual([]);
  });

  it('old and new: no pair, so the drop-in is removed (and facts read it, to see it there)', () => {
    for (const layout of ['old', 'new'] as const) {
      const intent = relabelIntent(ubuntuLinuxBridgeIntent, step(layout));
      expect(renderHost(intent, 'netplan-linux').files.map((f) => f.path)).toEqual(['/etc/netplan/60-hostnet.yaml']);
      expect(renderPaths(intent, 'netplan-linux')).toEqual({ files: ['/etc/netplan/60-hostnet.yaml'], removes: [NETWORKD_VETH_DROPIN] });
    }
  });

  it('netplan-ovs has no drop-in and removes nothing', () => {
    expect(renderHost(ubuntuOvsIntent, 'netplan-ovs').removes).toEqual([]);
    expect(renderPaths(ubuntuOvsIntent, 'netplan-ovs').removes).toEqual([]);
  });
});
