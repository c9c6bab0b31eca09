import type { LiveLink, LiveState } from '@hostnet/intent/domain/live-state';
import { expectedLiveState } from '@hostnet/intent/live/expected-live-state';
import { centosLinuxBridgeIntent as base } from '../../test/fixtures/reference-intents';
import { renameBridge, withBond, withBonds } from '../../test/support/intent-variants';
import { planLinuxTransition } from './linux-transition.planner';

// For linux the live state parsed from `ip -j -d link` has the shape expectedLiveState gives.
const configured = expectedLiveState(base);
const plus = (live: LiveState, ...links: LiveLink[]): LiveState => ({ ...live, links: [...live.links, ...links] });
const argv = (steps: { argv: string[] }[]) => steps.map((s) => s.argv.join(' '));
/** The undo's delete, which counts a device already gone as deleted. */
const undoDel = (dev: string) => `sh -c ip link del dev "$1" 2>/dev/null || ! ip link show dev "$1" >/dev/null 2>&1 sh ${dev}`;

describe('planLinuxTransition', () => {
  it('already configured (or only a bond option changed, which activation re-creates): nothing', () => {
    expect(planLinuxTransition(base, configured, configured)).toEqual({ steps: [], undoSteps: [], retired: [] });
    expect(planLinuxTransition(withBond(base, 'bond0', { mode: '802.3ad', lacpRate: 'fast' }), configured, configured).steps).toEqual([]);
  });

  it('swap members between bond0 and bond1: each moving NIC is released from its old bond first; the undo releases them again', () => {
    const plan = planLinuxTransition(withBonds(base, ['eth0', 'eth2'], ['eth1', 'eth3']), configured, configured);
    expect(argv(plan.steps)).toEqual(['ip link set dev eth1 nomaster', 'ip link set dev eth2 nomaster']);
    expect(plan.steps.every((s) => s.phase === 'activate')).toBe(true);
    expect(argv(plan.undoSteps)).toEqual(argv(plan.steps));
  });

  it('rename a bridge hostnet made: the bond leaves it, the old bridge is deleted by name; the undo deletes the new one', () => {
    const plan = planLinuxTransition(renameBridge(base, 'cloudbr1', 'cloudbr9'), configured, configured);
    expect(argv(plan.steps)).toEqual(['ip link set dev bond1 nomaster', 'ip link del dev cloudbr1']);
    expect(argv(plan.undoSteps)).toEqual(['ip link set dev bond1 nomaster', undoDel('cloudbr9')]);
    expect(plan.retired).toEqual(['cloudbr1']);
  });

  it('a bridge made by hand before hostnet gives up the NIC but is not deleted', () => {
    const handMade: LiveState = {
      links: [
        { name: 'br-mgmt', kind: 'bridge', members: ['eth0', 'eth1'] },
        { name: 'eth0', kind: 'nic', master: 'br-mgmt' },
        { name: 'eth1', kind: 'nic', master: 'br-mgmt' },
        { name: 'eth2', kind: 'nic' },
        { name: 'eth3', kind: 'nic' },
      ],
      addresses: [],
      routes: [],
    };
    const plan = planLinuxTransition(base, handMade);
    expect(argv(plan.steps)).toEqual(['ip link set dev eth0 nomaster', 'ip link set dev eth1 nomaster']);
    expect(argv(plan.undoSteps)).toEqual([
      'ip link set dev eth0 nomaster',
      'ip link set dev eth1 nomaster',
      ...['bond0', 'bond1', 'bond0.100', 'cloudbr0', 'cloudbr1', 'cloudbr100'].map(undoDel),
    ]);
  });

  it("the agent's bridges, its VLAN devices and VM taps are never touched", () => {
    const live = plus(
      configured,
      { name: 'brbond0-200', kind: 'bridge', members: ['bond0.200', 'vnet0'] },
      { name: 'bond0.200', kind: 'vlan', parent: 'bond0', vlanId: 200, master: 'brbond0-200' },
      { name: 'vnet0', kind: 'nic', master: 'brbond0-200' },
    );
    const plan = planLinuxTransition(withBonds(renameBridge(base, 'cloudbr1', 'cloudbr9'), ['eth0', 'eth2'], ['eth1', 'eth3']), live, configured);
    expect(argv(plan.steps)).toEqual(['ip link set dev bond1 nomaster', 'ip link set dev eth1 nomaster', 'ip link set dev eth2 nomaster', 'ip link del dev cloudbr1']);
    expect(JSON.stringify(plan)).not.toMatch(/vnet|brbond0-200|bond0\.200/);
  });

  describe('a bridge the intent drops while a VM tap is still on it', () => {
    const tapped = plus(configured, { name: 'vnet1', kind: 'nic', master: 'cloudbr1' });
    tapped.links = tapped.links.map((l) => (l.name === 'cloudbr1' ? { ...l, members: ['bond1', 'vnet1'] } : l));
    const renamed = renameBridge(base, 'cloudbr1', 'cloudbr9');

    it('is refused when its uplink would leave it with no link to the new bridge (the VM would be cut off)', () => {
      expect(() => planLinuxTransition(renamed, tapped, configured)).toThrow(
        /^cloudbr1 still carries vnet1 \(VM taps or the CloudStack agent's ports\) and the intent takes its uplink bond1 away without linking cloudbr1 to another bridge: those VMs would lose their network, nothing was changed; fix: migrate or stop the host's VMs/,
      );
    });

    it('goes ahead when a link joins it to the new bridge, or when another uplink stays on it', () => {
      const linked = { ...renamed, links: [{ kind: 'veth' as const, ends: [{ name: 'ethl-cloudbr9', bridge: 'cloudbr1' }, { name: 'lnk-cloudbr1', bridge: 'cloudbr9' }] as [{ name: string; bridge: string }, { name: string; bridge: string }], mtu: 1500 }] };
      expect(argv(planLinuxTransition(linked, tapped, configured).moves ?? []).join('\n')).toMatch(/bond1 master cloudbr9/);
      const handNic = plus(tapped, { name: 'eth5', kind: 'nic', master: 'cloudbr1' });
      expect(argv(planLinuxTransition(renamed, handNic, configured).steps)).toEqual(['ip link set dev bond1 nomaster']);
    });
  });
});
