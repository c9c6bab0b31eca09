import { relabelIntent, type RelabelLayoutRequest } from '@hostnet/intent';
import { ubuntuLinuxBridgeIntent, ubuntuOvsIntent } from '../../test/fixtures/reference-intents';
import { renderHost } from '../render-host';
import { renderPaths } from '../render-paths';
import { dropInPairs, NETWORKD_VETH_DROPIN, remakePairStep } from './networkd-veth-dropin';

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
    const content = c.files[1]!.content;
    expect(content.split('\n').slice(0, 3)).toEqual([
      "# hostnet: the veth pairs of a relabel's expand layout (docs/relabel.md), which netplan does not describe.",
      '# Made once networkd runs and both bridges exist; no .network matches their ends, so networkd leaves them alone.',
      '[Service]',
    ]);
    // one command per pair, names as arguments after the script; every `$` of the script doubled for systemd
    const line = content.split('\n')[3]!;
    expect(line).toMatch(/^ExecStartPost=-\+\/bin\/sh -c '\[ -e "\$\$0" \] \|\| exit 0; n=0; until ip link show dev "\$\$3" /);
    expect(line.endsWith("' /etc/systemd/system/systemd-networkd.service.d/60-hostnet-veth.conf ethl-cloudbr9 lnk-cloudbr1 cloudbr1 cloudbr9")).toBe(true);
    expect(line.replace(/\$\$/g, '')).not.toContain('$');
    expect(content.split('\n')).toHaveLength(5);
    expect(dropInPairs(content)).toEqual([{ end: 'ethl-cloudbr9', peer: 'lnk-cloudbr1', bridge: 'cloudbr1', peerBridge: 'cloudbr9' }]);
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

  it('reads back only what it wrote: a jumbo MTU kept, a line with another path or a bad name skipped', () => {
    const jumbo = 'ExecStartPost=-+/bin/sh -c \'x\' /etc/systemd/system/systemd-networkd.service.d/60-hostnet-veth.conf e1 p1 b1 b2 9000\n';
    expect(dropInPairs(jumbo)).toEqual([{ end: 'e1', peer: 'p1', bridge: 'b1', peerBridge: 'b2', mtu: 9000 }]);
    expect(remakePairStep(dropInPairs(jumbo)[0]!).argv.slice(3)).toEqual(['/etc/systemd/system/systemd-networkd.service.d/60-hostnet-veth.conf', 'e1', 'p1', 'b1', 'b2', '9000']);
    expect(dropInPairs(jumbo.replace('60-hostnet-veth', '61-other'))).toEqual([]);
    expect(dropInPairs(jumbo.replace(' p1 ', ' p;1 '))).toEqual([]);
    expect(dropInPairs(jumbo.replace(' 9000', ' 9000;reboot'))).toEqual([]);
  });

  it('netplan-ovs has no drop-in and removes nothing', () => {
    expect(renderHost(ubuntuOvsIntent, 'netplan-ovs').removes).toEqual([]);
    expect(renderPaths(ubuntuOvsIntent, 'netplan-ovs').removes).toEqual([]);
  });
});
