import { expectedLiveState } from '@hostnet/intent';
import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveState } from '@hostnet/intent/domain/live-state';
import { centosLinuxBridgeIntent, ubuntuLinuxBridgeIntent } from '../../test/fixtures/reference-intents';
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
