import { relabelIntent, type RelabelLayoutRequest } from '@hostnet/intent';
import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import { jumboIntent } from '../../intent/test-support/intent-fixtures';
import { centosOvsIntent, GOLDEN_CASES, ubuntuLinuxBridgeIntent } from '../test/fixtures/reference-intents';
import { withBond, withoutBond1, withoutBonds } from '../test/support/intent-variants';
import { RENDER_TARGETS, renderHost } from './render-host';
import type { RenderTargetId } from './domain/rendered-config';
import { type RenderedPaths, renderPaths } from './render-paths';

/**
 * Property: for every fixture intent (and variants) and every target, renderPaths gives exactly the
 * paths of renderHost without options, in the same order, and throws exactly when renderHost throws.
 */
const relabel = (layout: RelabelLayoutRequest['layout']): RelabelLayoutRequest => ({
  layout,
  changes: [{ physicalNetworkId: 'pn2', trafficType: 'Public', oldLabel: 'cloudbr1', newLabel: 'cloudbr9' }],
});

const REFERENCE: Array<[string, HostNetworkIntent]> = [
  ...GOLDEN_CASES.map(({ target, intent }): [string, HostNetworkIntent] => [`golden ${target}`, intent]),
  ['jumbo linux', jumboIntent('linux')],
  ['jumbo ovs', jumboIntent('ovs')],
];

const routed = (i: HostNetworkIntent): HostNetworkIntent => ({
  ...i,
  routes: [
    { to: '10.9.0.0/16', via: '192.168.100.254', dev: i.managementBridge },
    { to: '10.8.0.0/16', via: '192.168.100.254', dev: i.managementBridge },
    { to: '10.7.0.0/16', via: '10.0.100.254', dev: 'cloudbr100' },
  ],
});
const freeNic = (i: HostNetworkIntent, name = 'eth4'): HostNetworkIntent => ({ ...i, nics: [...i.nics, { name, hwaddr: '52:54:00:00:00:04', mtu: 1500 }] });

function variants(name: string, i: HostNetworkIntent): Array<[string, HostNetworkIntent]> {
  const base: Array<[string, HostNetworkIntent]> = [
    [name, i],
    [`${name} splinters on`, { ...i, vlanSplinters: true }],
    [`${name} splinters off`, { ...i, vlanSplinters: false }],
    [`${name} without bonds`, withoutBonds(i)],
    [`${name} without bond1`, withoutBond1(i)],
    [`${name} lacp bond`, withBond(i, 'bond0', { mode: i.backend === 'ovs' ? 'balance-tcp' : '802.3ad', lacp: i.backend === 'ovs' ? 'active' : undefined, lacpRate: 'fast' })],
    [`${name} routed`, routed(i)],
    [`${name} free NIC`, freeNic(i)],
    [`${name} no fake bridges`, { ...i, bridges: i.bridges.filter((b) => b.parent === undefined) }],
  ];
  return base.flatMap(([n, v]) => {
    const relabelled = (['old', 'both', 'new'] as const).flatMap((layout): Array<[string, HostNetworkIntent]> => {
      try {
        return [[`${n} relabel ${layout}`, relabelIntent(v, relabel(layout))]];
      } catch {
        return []; // no Public cloudbr1 to relabel in this variant
      }
    });
    return [[n, v], ...relabelled];
  });
}

const CASES: Array<[string, HostNetworkIntent]> = [
  ...REFERENCE.flatMap(([n, i]) => variants(n, i)),
  // renderHost throws on one target only: two NetworkManager OVS profiles named ovs-port-bond0.
  ['centos ovs, NIC named like a profile', freeNic(centosOvsIntent, 'ovs-port-bond0')],
  // renderHost throws on every target: an invalid interface name.
  ['invalid bridge name', { ...ubuntuLinuxBridgeIntent, bridges: ubuntuLinuxBridgeIntent.bridges.map((b, n) => (n === 1 ? { ...b, name: 'bad name' } : b)) }],
];

type Outcome = { paths: RenderedPaths } | { error: string };

function outcome(run: () => RenderedPaths): Outcome {
  try {
    return { paths: run() };
  } catch (err) {
    return { error: `${(err as Error).constructor.name}: ${(err as Error).message}` };
  }
}

const rendered = (i: HostNetworkIntent, target: RenderTargetId, options = {}) => (): RenderedPaths => {
  const config = renderHost(i, target, options);
  return { files: config.files.map((f) => f.path), removes: config.removes };
};

describe('renderPaths: the paths renderHost writes and removes, without rendering', () => {
  it.each(CASES)('%s: on every target the same files (same order) and removes, or the same error', (_name, intent) => {
    const byTarget = (run: (t: RenderTargetId) => () => RenderedPaths) => Object.fromEntries(RENDER_TARGETS.map((t) => [t, outcome(run(t))]));
    expect(byTarget((t) => () => renderPaths(intent, t))).toEqual(byTarget((t) => rendered(intent, t)));
  });

  it('paths never depend on options (ifupdown2, OVS datapath type)', () => {
    for (const [, intent] of REFERENCE) {
      for (const target of RENDER_TARGETS) {
        expect(outcome(() => renderPaths(intent, target))).toEqual(outcome(rendered(intent, target, { ifupdown2: true, ovsDatapathType: 'netdev' })));
      }
    }
  });

  it('the cases reach every conditional file and every way a target refuses', () => {
    const outcomes = CASES.flatMap(([, intent]) => RENDER_TARGETS.map((t) => outcome(() => renderPaths(intent, t))));
    const seen = outcomes.flatMap((o) => ('paths' in o ? [...o.paths.files, ...o.paths.removes.map((r) => `remove ${r}`)] : [`error ${o.error}`]));
    const has = (re: RegExp) => seen.some((p) => re.test(p));
    expect(has(/^\/etc\/sysconfig\/network-scripts\/route-cloudbr100$/)).toBe(true);
    expect(has(/^\/sbin\/ifup-localovs$/)).toBe(true);
    expect(has(/^\/etc\/sysconfig\/network-scripts\/ifcfg-pt-cloudbr9$/)).toBe(true);
    expect(has(/^\/etc\/NetworkManager\/system-connections\/ethl-cloudbr9\.nmconnection$/)).toBe(true);
    expect(has(/^\/etc\/NetworkManager\/dispatcher\.d\/30-hostnet-ovs-fake-bridges$/)).toBe(true);
    expect(has(/^remove \/etc\/NetworkManager\/dispatcher\.d\/30-hostnet-ovs-fake-bridges$/)).toBe(true);
    expect(has(/^remove \/etc\/modules-load\.d\/hostnet\.conf$/)).toBe(true);
    expect(has(/^error UnsupportedBackendError: target .* renders backend/)).toBe(true);
    expect(has(/^error UnsupportedBackendError: links: target/)).toBe(true);
    expect(has(/^error RenderError: interface names: two NetworkManager profiles/)).toBe(true);
    expect(has(/^error InvalidIntentValueError: /)).toBe(true);
  });
});
