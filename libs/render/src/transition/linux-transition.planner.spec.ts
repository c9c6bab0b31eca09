import type { LiveLink, LiveState } from '@hostnet/intent/domain/live-state';
import { expectedLiveState } from '@hostnet/intent/live/expected-live-state';
import { centosLinuxBridgeIntent as base } from '../../test/fixtures/reference-intents';
import { renameBond, renameBridge, withBond, withBonds } from '../../test/support/intent-variants';
import { planLinuxTransition } from './linux-transition.planner';

// For linux the live state parsed from `ip -j -d link` has the shape expectedLiveState gives.
const configured = expectedLiveState(base);
const plus = (live: LiveState, ...links: LiveLink[]): LiveState => ({ ...live, links: [...live.links, ...links] });
const argv = (steps: { argv: string[] }[]) => steps.map((s) => s.argv.join(' '));
/** The agent's VLAN bridge br<bond>-<vlan> over <bond>.<vlan>, with a VM tap on it. */
const agentVlanBridge = (live: LiveState, bond: string, vlanId: number, tap: string): LiveState =>
  plus(
    live,
    { name: `br${bond}-${vlanId}`, kind: 'bridge', members: [`${bond}.${vlanId}`, tap] },
    { name: `${bond}.${vlanId}`, kind: 'vlan', parent: bond, vlanId, master: `br${bond}-${vlanId}` },
    { name: tap, kind: 'nic', master: `br${bond}-${vlanId}` },
  );
/** The undo's delete, which counts a device already gone as deleted. */

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

  it('rename a bridge hostnet made: the bond leaves it, the old bridge is deleted by name; the undo leaves the new one to the restore', () => {
    const plan = planLinuxTransition(renameBridge(base, 'cloudbr1', 'cloudbr9'), configured, configured);
    expect(argv(plan.steps)).toEqual(['ip link set dev bond1 nomaster', 'ip link del dev cloudbr1']);
    // a VM tap may join cloudbr9 before the rollback: only the restore, which asks what hangs off it, deletes it
    expect(argv(plan.undoSteps)).toEqual(['ip link set dev bond1 nomaster']);
    expect(plan.retired).toEqual(['cloudbr1']);
  });

  it('no undo step deletes a bond, VLAN or bridge the run creates: a VM tap or an agent VLAN on it by the rollback would go with it', () => {
    const nothing: LiveState = { links: ['eth0', 'eth1', 'eth2', 'eth3'].map((name) => ({ name, kind: 'nic' as const })), addresses: [], routes: [] };
    for (const plan of [planLinuxTransition(base, nothing), planLinuxTransition(renameBridge(base, 'cloudbr1', 'cloudbr9'), configured, configured)]) {
      expect(argv(plan.undoSteps).filter((a) => a.includes('link del'))).toEqual([]);
    }
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
      // spares the run enslaves into bond1: the old files would leave them there
      'ip link set dev eth2 nomaster',
      'ip link set dev eth3 nomaster',
    ]);
  });

  it("the agent's bridges, its VLAN devices and VM taps are never touched", () => {
    const live = agentVlanBridge(configured, 'bond0', 200, 'vnet0');
    const plan = planLinuxTransition(withBonds(renameBridge(base, 'cloudbr1', 'cloudbr9'), ['eth0', 'eth2'], ['eth1', 'eth3']), live, configured);
    expect(argv(plan.steps)).toEqual(['ip link set dev bond1 nomaster', 'ip link set dev eth1 nomaster', 'ip link set dev eth2 nomaster', 'ip link del dev cloudbr1']);
    expect(JSON.stringify(plan)).not.toMatch(/vnet|brbond0-200|bond0\.200/);
  });

  describe('a run that would cut VM taps off their network is refused before any step', () => {
    const renamed = renameBridge(base, 'cloudbr1', 'cloudbr9');
    const withTap = (live: LiveState, bridge: string, tap = 'vnet1'): LiveState => {
      const out = plus(live, { name: tap, kind: 'nic', master: bridge });
      out.links = out.links.map((l) => (l.name === bridge ? { ...l, members: [...(l.members ?? []), tap].sort() } : l));
      return out;
    };

    it('the uplink of a bridge the intent drops moves away while a tap stays on it (a host a relabel left behind)', () => {
      expect(() => planLinuxTransition(renamed, withTap(configured, 'cloudbr1'), configured)).toThrow(
        /^live bridge cloudbr1 still carries vnet1 \(VM taps or the CloudStack agent's ports\) and this run would take away bond1, its only way to the network: those VMs would be cut off, nothing was changed; fix: migrate or stop the VMs on cloudbr1 \(put the host in Maintenance\), then run the host again$/,
      );
      // the same move with another port staying on the bridge (a NIC added by hand) leaves the taps a way out
      expect(argv(planLinuxTransition(renamed, withTap(plus(configured, { name: 'eth5', kind: 'nic', master: 'cloudbr1' }), 'cloudbr1'), configured).steps)).toEqual(['ip link set dev bond1 nomaster']);
    });

    it("a bond's members all leave it (a first run on a host configured by hand): its bridge counts as cut", () => {
      expect(() => planLinuxTransition(renameBond(renamed, 'bond1', 'bond9'), withTap(configured, 'cloudbr1'))).toThrow(/^live bridge cloudbr1 still carries vnet1 .* would take away bond1, its only way/);
    });

    it("a deleted bond takes the agent's VLAN interface on it along: the agent's bridge of that VLAN counts as cut", () => {
      const agentVlan = agentVlanBridge(configured, 'bond1', 200, 'vnet0');
      const bond9 = renameBond(base, 'bond1', 'bond9');
      expect(() => planLinuxTransition(bond9, agentVlan, configured)).toThrow(/^live bridge brbond1-200 still carries vnet0 .* would take away bond1\.200, its only way/);
      expect(argv(planLinuxTransition(bond9, configured, configured).steps)).toContain('ip link del dev bond1');
    });

    describe("the agent's VLAN on a NIC the run puts into a bond (cloudbr1 ran on eth2 alone; the profile makes it bond1 of eth2+eth3)", () => {
      // before: cloudbr1 ← eth2, eth3 spare; the agent's breth2-200 ← eth2.200 + vnet5
      const onEth2 = (live: LiveState): LiveState => {
        const links = live.links
          .filter((l) => !['bond1', 'eth2', 'eth3'].includes(l.name))
          .map((l) => (l.name === 'cloudbr1' ? { ...l, members: ['eth2'] } : l));
        return plus({ ...live, links }, { name: 'eth2', kind: 'nic', master: 'cloudbr1', up: true }, { name: 'eth3', kind: 'nic', up: true });
      };
      const agentOnEth2 = (live: LiveState) => agentVlanBridge(onEth2(live), 'eth2', 200, 'vnet5');

      it('eth2 going into bond1 leaves eth2.200 out of the traffic the bond takes: refused, naming the VLAN, its bridge, its VMs and why', () => {
        expect(() => planLinuxTransition(base, agentOnEth2(configured))).toThrow(
          /^live bridge breth2-200 still carries vnet5 .* would take away eth2\.200, its only way to the network \(eth2\.200 sits on eth2, which this run makes a member of bond1: .*\): those VMs would be cut off, nothing was changed; fix: migrate or stop the VMs on breth2-200 \(put the host in Maintenance\)/,
        );
      });

      it('a spare NIC with the VLAN, enslaved from no master, counts the same', () => {
        const spare = agentVlanBridge(onEth2(configured), 'eth3', 300, 'vnet6');
        expect(() => planLinuxTransition(base, spare)).toThrow(/^live bridge breth3-300 still carries vnet6 .* \(eth3\.300 sits on eth3, which this run makes a member of bond1/);
      });

      it('without VMs on the VLAN bridge, or once eth2 is in bond1, nothing is refused', () => {
        expect(argv(planLinuxTransition(base, onEth2(configured)).steps)).toEqual(['ip link set dev eth2 nomaster']);
        expect(planLinuxTransition(base, agentVlanBridge(configured, 'eth2', 200, 'vnet5'), configured).steps).toEqual([]);
      });

      it('an uplink that only changes bridge keeps its VLANs (VLAN devices are served before the bridge): a relabel moving bond1 is not refused', () => {
        const plan = planLinuxTransition(renamed, agentVlanBridge(configured, 'bond1', 200, 'vnet5'), configured);
        expect(argv(plan.steps)).toEqual(['ip link set dev bond1 nomaster', 'ip link del dev cloudbr1']);
      });
    });

    it("a relabel's new layout while a tap stays on the old bridge: the veth pair is its way out, nothing is refused or deleted", () => {
      // after the expand (both): the uplink is in cloudbr9 already, the pair joins cloudbr1 to it
      const expanded = plus(
        withTap(configured, 'cloudbr1'),
        { name: 'cloudbr9', kind: 'bridge', members: ['bond1', 'lnk-cloudbr1'] },
        { name: 'ethl-cloudbr9', kind: 'nic', master: 'cloudbr1', peer: 'lnk-cloudbr1' },
        { name: 'lnk-cloudbr1', kind: 'nic', master: 'cloudbr9', peer: 'ethl-cloudbr9' },
      );
      expanded.links = expanded.links.map((l) => (l.name === 'bond1' ? { ...l, master: 'cloudbr9' } : l.name === 'cloudbr1' ? { ...l, members: ['ethl-cloudbr9', 'vnet1'] } : l));
      const previous = plus(configured, { name: 'ethl-cloudbr9', kind: 'nic', master: 'cloudbr1', peer: 'lnk-cloudbr1' }, { name: 'lnk-cloudbr1', kind: 'nic', master: 'cloudbr9', peer: 'ethl-cloudbr9' });
      const plan = planLinuxTransition(renamed, expanded, previous);
      expect(JSON.stringify(plan.steps)).not.toMatch(/ethl-cloudbr9|lnk-cloudbr1|del dev cloudbr1|vnet1/);
    });
  });
});
