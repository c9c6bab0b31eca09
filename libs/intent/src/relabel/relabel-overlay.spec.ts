import { centosLinuxBridgeIntent, centosOvsIntent } from '../../../render/test/fixtures/reference-intents';
import type { HostNetworkIntent } from '../domain/host-network-intent';
import { expectedLiveState } from '../live/expected-live-state';
import { IntentValidationError } from '../validation/intent-violation';
import { matchesAgentPifPattern } from '../validation/interface-name.validator';
import { relabelIntent } from './relabel-overlay';
import { patchPortName, vethNewEndName, vethOldEndName } from './relabel-link-names';
import type { RelabelLayoutRequest } from './relabel-step.validator';

const publicTo = (layout: RelabelLayoutRequest['layout'], newLabel = 'cloudbr9'): RelabelLayoutRequest => ({
  layout,
  changes: [{ physicalNetworkId: 'pn2', trafficType: 'Public', oldLabel: 'cloudbr1', newLabel }],
});
/** The intent CloudStack gives after the flip: the same host, Public on cloudbr9. */
function flipped(intent: HostNetworkIntent, to = 'cloudbr9'): HostNetworkIntent {
  const rename = (n?: string) => (n === 'cloudbr1' ? to : n);
  return {
    ...intent,
    bonds: intent.bonds.map((b) => ({ ...b, bridge: rename(b.bridge) })),
    bridges: intent.bridges.map((b) => ({ ...b, name: rename(b.name) as string })),
  };
}
const violations = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (err) {
    if (err instanceof IntentValidationError) return err.violations.map((v) => v.message);
    throw err;
  }
  throw new Error('no violation');
};

describe('relabelIntent: the host intent for a relabel layout', () => {
  it.each(['old', 'both', 'new'] as const)('%s: the same intent on either side of the label flip (stable spec hash)', (layout) => {
    expect(relabelIntent(flipped(centosOvsIntent), publicTo(layout))).toEqual(relabelIntent(centosOvsIntent, publicTo(layout)));
    expect(relabelIntent(flipped(centosLinuxBridgeIntent), publicTo(layout))).toEqual(relabelIntent(centosLinuxBridgeIntent, publicTo(layout)));
  });

  it('old is the intent with the old bridge; new renames it with its uplink', () => {
    expect(relabelIntent(flipped(centosOvsIntent), publicTo('old'))).toEqual(centosOvsIntent);
    const renamed = relabelIntent(centosOvsIntent, publicTo('new'));
    expect(renamed.bridges.map((b) => b.name)).toEqual(['cloudbr0', 'cloudbr9', 'cloudbr100', 'cloud0']);
    expect(renamed.bonds.find((b) => b.name === 'bond1')?.bridge).toBe('cloudbr9');
    expect(renamed.links).toBeUndefined();
  });

  it('new moves the management address and fake bridges with a renamed management bridge', () => {
    const step: RelabelLayoutRequest = {
      layout: 'new',
      changes: ['Management', 'Guest'].map((t) => ({ physicalNetworkId: 'pn1', trafficType: t as 'Guest', oldLabel: 'cloudbr0', newLabel: 'cloudbr5' })),
    };
    const out = relabelIntent(centosOvsIntent, step);
    expect(out.managementBridge).toBe('cloudbr5');
    expect(out.bridges.find((b) => b.name === 'cloudbr5')?.address).toEqual(centosOvsIntent.managementAddress);
    expect(out.bridges.find((b) => b.name === 'cloudbr100')?.parent).toBe('cloudbr5');
  });

  it('both on OVS: NEW beside OLD, OLD keeps the uplink, a patch pair between them', () => {
    const out = relabelIntent(centosOvsIntent, publicTo('both'));
    expect(out.bridges.find((b) => b.name === 'cloudbr1')?.uplink).toBe('bond1');
    expect(out.bridges.find((b) => b.name === 'cloudbr9')).toEqual({ name: 'cloudbr9', role: 'traffic-label', trafficTypes: ['Public'], stp: false, forwardDelay: 0 });
    expect(out.links).toEqual([{ kind: 'ovs-patch', ends: [{ name: 'pt-cloudbr9', bridge: 'cloudbr1' }, { name: 'pt-cloudbr1', bridge: 'cloudbr9' }] }]);
    const live = expectedLiveState(out);
    expect(live.links.find((l) => l.name === 'cloudbr1')?.members).toEqual(['bond1', 'pt-cloudbr9']);
    expect(live.links.find((l) => l.name === 'pt-cloudbr1')).toEqual({ name: 'pt-cloudbr1', kind: 'nic', master: 'cloudbr9' });
  });

  it('both on linux: the uplink moves to NEW (STP off), OLD keeps its port through a veth the agent reads as a pif', () => {
    const out = relabelIntent(centosLinuxBridgeIntent, publicTo('both'));
    expect(out.bridges.find((b) => b.name === 'cloudbr1')).toEqual({ name: 'cloudbr1', role: 'traffic-label', trafficTypes: ['Public'], stp: false, forwardDelay: 0 });
    expect(out.bridges.find((b) => b.name === 'cloudbr9')?.uplink).toBe('bond1');
    expect(out.bonds.find((b) => b.name === 'bond1')?.bridge).toBe('cloudbr9');
    expect(out.links).toEqual([{ kind: 'veth', ends: [{ name: 'ethl-cloudbr9', bridge: 'cloudbr1' }, { name: 'lnk-cloudbr1', bridge: 'cloudbr9' }] }]);
    expect(matchesAgentPifPattern(out.links![0].ends[0].name)).toBe(true);
    expect(matchesAgentPifPattern(out.links![0].ends[1].name)).toBe(false);
  });

  it('link names stay valid and deterministic for 15-character labels', () => {
    const long = 'cloudbrpublic15';
    for (const name of [patchPortName(long), vethOldEndName(long), vethNewEndName(long)]) expect(name.length).toBeLessThanOrEqual(15);
    expect(patchPortName(long)).toBe(patchPortName(long));
    expect(patchPortName(long)).not.toBe(patchPortName('cloudbrpublic16'));
    const out = relabelIntent(centosOvsIntent, publicTo('both', long));
    expect(out.links![0].ends.map((e) => e.name)).toEqual([patchPortName(long), 'pt-cloudbr1']);
  });

  it('labels from the step are input: validated as bridge names, naming the field and the fix', () => {
    expect(violations(() => relabelIntent(centosOvsIntent, publicTo('both', 'br;reboot')))).toEqual([
      expect.stringMatching(/^relabel\.changes\[0\]\.newLabel: .* contains characters not allowed/),
    ]);
    expect(violations(() => relabelIntent(centosOvsIntent, publicTo('both', 'brbond1-200')))[0]).toMatch(/is reserved because the CloudStack agent creates/);
    expect(violations(() => relabelIntent(centosOvsIntent, publicTo('both', 'cloudbr1')))[0]).toMatch(/equals the old label/);
    expect(violations(() => relabelIntent(centosOvsIntent, { ...publicTo('both'), layout: 'sideways' as 'old' }))[0]).toMatch(/^relabel\.layout/);
  });

  it('refuses a step that does not fit the host: unknown bridge, a split bridge, a name clash', () => {
    const unknown = { layout: 'both' as const, changes: [{ physicalNetworkId: 'pn2', trafficType: 'Public' as const, oldLabel: 'cloudbr7', newLabel: 'cloudbr8' }] };
    expect(violations(() => relabelIntent(centosOvsIntent, unknown))[0]).toMatch(/names no bridge of this host/);
    const split = { layout: 'both' as const, changes: [{ physicalNetworkId: 'pn1', trafficType: 'Guest' as const, oldLabel: 'cloudbr0', newLabel: 'cloudbr5' }] };
    expect(violations(() => relabelIntent(centosOvsIntent, split))[0]).toMatch(/moves only part of bridge cloudbr0 \(Management would stay\).*fix: relabel Management to cloudbr5/);
    expect(violations(() => relabelIntent(centosOvsIntent, publicTo('both', 'cloudbr100')))[0]).toMatch(/exists under both labels/);
  });

  it('refuses the expand layout of an OVS fake bridge (not built yet) with the fix', () => {
    const storage = { layout: 'both' as const, changes: [{ physicalNetworkId: 'pn1', trafficType: 'Storage' as const, oldLabel: 'cloudbr100', newLabel: 'cloudbr200' }] };
    expect(violations(() => relabelIntent(centosOvsIntent, storage))[0]).toMatch(/is an OVS fake bridge .*fix: relabel an untagged bridge/);
    expect(relabelIntent(centosOvsIntent, { ...storage, layout: 'new' }).bridges.find((b) => b.name === 'cloudbr200')).toMatchObject({ parent: 'cloudbr0', vlanId: 100 });
  });
});
