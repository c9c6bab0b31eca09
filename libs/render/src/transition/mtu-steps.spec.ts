import type { LiveState } from '@hostnet/intent/domain/live-state';
import { expectedLiveState } from '@hostnet/intent/live/expected-live-state';
import { jumboIntent } from '../../../intent/test-support/intent-fixtures';
import { centosLinuxBridgeIntent } from '../../test/fixtures/reference-intents';
import { restoreActivation } from '../activation/restore-activation';
import { renderHost } from '../render-host';
import { mtuSteps } from './mtu-steps';

const argv = (steps: { argv: string[] }[]) => steps.map((s) => s.argv.join(' '));
/** The live state as facts read it: the default MTU left out. */
const asRead = (live: LiveState, mtus: Record<string, number> = {}): LiveState => ({
  ...live,
  links: live.links.map(({ mtu, ...l }) => {
    const now = mtus[l.name] ?? mtu;
    return now === undefined || now === 1500 ? l : { ...l, mtu: now };
  }),
});
const bridgeStep = (bridge: string, mtu: number) => `sh -c ip link show dev "$1" | grep -q " mtu $2 " || ip link set dev "$1" mtu "$2" sh ${bridge} ${mtu}`;

describe('mtuSteps: links the intent holds to an MTU, set to it', () => {
  const jumbo = jumboIntent('linux');
  const configured = asRead(expectedLiveState(jumbo));

  it('a configured host, jumbo or not: nothing', () => {
    expect(mtuSteps(jumbo, configured)).toEqual([]);
    expect(mtuSteps(centosLinuxBridgeIntent, asRead(expectedLiveState(centosLinuxBridgeIntent)))).toEqual([]);
  });

  it('raised parents first: the bond (its members follow), a member lowered by hand, the VLAN on it, then the bridges only where their ports left them', () => {
    const lowered = asRead(expectedLiveState(jumbo), { bond0: 1500, eth1: 1500, 'bond0.100': 1500, cloudbr0: 1500, cloudbr100: 1500 });
    expect(argv(mtuSteps(jumbo, lowered))).toEqual([
      'ip link set dev bond0 mtu 9000',
      'ip link set dev eth1 mtu 9000',
      'ip link set dev bond0.100 mtu 9000',
      bridgeStep('cloudbr0', 9000),
      bridgeStep('cloudbr100', 9000),
    ]);
    expect(mtuSteps(jumbo, lowered).every((s) => s.phase === 'activate' && s.name.startsWith('mtu-'))).toBe(true);
  });

  it('lowered children first (a bridge pinned above its ports), before anything raised', () => {
    const live = asRead(expectedLiveState(jumbo), { cloudbr1: 9000, 'bond0.100': 1500 });
    expect(argv(mtuSteps(jumbo, live))).toEqual([bridgeStep('cloudbr1', 1500), 'ip link set dev bond0.100 mtu 9000']);
  });

  it('never a link the intent does not name (a VM tap, the agent bridge), nor one the run creates, nor anything on OVS', () => {
    const live = asRead({ ...configured, links: [...configured.links.filter((l) => l.name !== 'cloudbr100' && l.name !== 'bond0.100'), { name: 'vnet0', kind: 'nic', master: 'cloudbr0', mtu: 1500 }, { name: 'brbond0-200', kind: 'bridge', mtu: 1400 }] });
    expect(mtuSteps(jumbo, live)).toEqual([]);
    const ovs = jumboIntent('ovs');
    expect(mtuSteps(ovs, { links: ovs.nics.map((n) => ({ name: n.name, kind: 'nic' as const })), addresses: [], routes: [] })).toEqual([]);
  });

  it("raises a bridge no higher than a VM's tap on it (EL7's kernel refuses, later ones would pin it above its tap)", () => {
    const tap = { name: 'vnet0', kind: 'nic' as const, master: 'cloudbr0', up: true };
    const live = asRead({ ...configured, links: [...configured.links, tap] }, { cloudbr0: 1500 });
    expect(argv(mtuSteps(jumbo, live))).toEqual([]);
    expect(argv(mtuSteps(jumbo, asRead({ ...configured, links: [...configured.links, { ...tap, mtu: 9000 }] }, { cloudbr0: 1500 })))).toEqual([bridgeStep('cloudbr0', 9000)]);
  });

  it('every value that reaches the step is validated: an MTU out of range is refused', () => {
    const bad = { ...jumbo, bonds: jumbo.bonds.map((b) => (b.name === 'bond0' ? { ...b, mtu: 70000 } : b)) };
    expect(() => mtuSteps(bad, configured)).toThrow(/MTU of bond0: 70000 must be an integer from 68 to 65535/);
  });
});

describe('renderHost: an MTU that drifted alone is a step of the run, after the activation, and no restore step', () => {
  const jumbo = jumboIntent('linux');
  const configured = asRead(expectedLiveState(jumbo));

  it.each(['el-network-scripts-linux', 'debian-ifupdown-linux', 'netplan-linux', 'networkmanager-linux'] as const)('%s', (target) => {
    const files = renderHost(jumbo, target).files;
    const previousFiles = new Map(files.map((f) => [f.path, { content: f.content }]));
    const unchanged = renderHost(jumbo, target, { live: configured, previous: configured, previousFiles });
    expect(unchanged.steps.filter((s) => s.name.startsWith('mtu-'))).toEqual([]);
    const drifted = renderHost(jumbo, target, { live: asRead(configured, { eth0: 1500, eth1: 1500, bond0: 1500, cloudbr0: 1500 }), previous: configured, previousFiles });
    const mtu = drifted.steps.filter((s) => s.name.startsWith('mtu-'));
    expect(argv(mtu)).toEqual(['ip link set dev bond0 mtu 9000', 'ip link set dev eth0 mtu 9000', 'ip link set dev eth1 mtu 9000', bridgeStep('cloudbr0', 9000)]);
    expect(drifted.steps.slice(-mtu.length)).toEqual(mtu);
    // the restore's re-activation never sets the run's MTUs again: the restore puts the old ones back
    expect(restoreActivation(drifted, previousFiles).filter((s) => s.name.startsWith('mtu-'))).toEqual([]);
  });
});
