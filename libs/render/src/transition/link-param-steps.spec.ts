import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveBondParams, LiveBridgeParams, LiveLink, LiveState } from '@hostnet/intent/domain/live-state';
import { expectedLiveState } from '@hostnet/intent/live/expected-live-state';
import { centosLinuxBridgeIntent, ubuntuLinuxBridgeIntent } from '../../test/fixtures/reference-intents';
import { withBond } from '../../test/support/intent-variants';
import { renderHost } from '../render-host';
import { refuseBondParamChanges } from './bond-params.guard';
import { refuseStartingStp } from './stp-start.guard';
import { linkParamSteps } from './link-param-steps';

const argv = (steps: { argv: string[] }[] | undefined) => (steps ?? []).map((s) => s.argv.join(' '));
/** The intent's expected state as facts would read it, with some bonds' or bridges' parameters as the host runs them. */
function running(intent: HostNetworkIntent, change: Record<string, LiveBondParams | LiveBridgeParams>): LiveState {
  const live = expectedLiveState(intent);
  const changed = (l: LiveLink): LiveLink => {
    const c = change[l.name];
    if (!c) return l;
    return l.kind === 'bond' ? { ...l, bond: { ...l.bond, ...c } } : { ...l, bridge: { ...l.bridge, ...c } };
  };
  return { ...live, links: live.links.map(changed) };
}

describe('linkParamSteps: the parameters the kernel changes on a running bond or bridge, set live', () => {
  it('a configured host: nothing', () => {
    expect(linkParamSteps(ubuntuLinuxBridgeIntent, expectedLiveState(ubuntuLinuxBridgeIntent))).toEqual({ steps: [], undo: [] });
  });

  it("a bond's miimon and xmit_hash_policy, each undone to the value facts read", () => {
    const intent = withBond(ubuntuLinuxBridgeIntent, 'bond0', { mode: 'balance-xor', xmitHashPolicy: 'layer3+4' });
    const plan = linkParamSteps(intent, running(intent, { bond0: { miimon: 200, xmitHashPolicy: 'layer2' } }));
    expect(argv(plan.steps)).toEqual(['ip link set dev bond0 type bond miimon 100', 'ip link set dev bond0 type bond xmit_hash_policy layer3+4']);
    expect(argv(plan.undo)).toEqual(['ip link set dev bond0 type bond miimon 200', 'ip link set dev bond0 type bond xmit_hash_policy layer2']);
    expect(plan.steps.map((s) => s.name)).toEqual(['param-bond0-miimon', 'param-bond0-xmit-hash-policy']);
  });

  it("a bridge's STP, and with STP on its forward delay, in the order the kernel takes them: STP off before the delay leaves 2–30 s, on after it is in range", () => {
    const on = running(ubuntuLinuxBridgeIntent, { cloudbr0: { stp: true, forwardDelay: 1500 } });
    const off = linkParamSteps(ubuntuLinuxBridgeIntent, on);
    // STP off: the delay is inert, not held (intendedBridgeParams)
    expect(argv(off.steps)).toEqual(['ip link set dev cloudbr0 type bridge stp_state 0']);
    expect(argv(off.undo)).toEqual(['ip link set dev cloudbr0 type bridge stp_state 1']);
    const stp = { ...ubuntuLinuxBridgeIntent, bridges: ubuntuLinuxBridgeIntent.bridges.map((b) => (b.name === 'cloudbr0' ? { ...b, stp: true, forwardDelay: 15 } : b)) };
    const plain = linkParamSteps(stp, running(stp, { cloudbr0: { stp: false, forwardDelay: 0 } }));
    expect(argv(plain.steps)).toEqual(['ip link set dev cloudbr0 type bridge forward_delay 1500', 'ip link set dev cloudbr0 type bridge stp_state 1']);
    expect(argv(plain.undo)).toEqual(['ip link set dev cloudbr0 type bridge stp_state 0', 'ip link set dev cloudbr0 type bridge forward_delay 0']);
    const slower = linkParamSteps(stp, running(stp, { cloudbr0: { stp: true, forwardDelay: 3000 } }));
    expect(argv(slower.steps)).toEqual(['ip link set dev cloudbr0 type bridge forward_delay 1500']);
  });

  it('leaves devices the run creates to their files, and a mode or lacp_rate to the guard', () => {
    const intent = withBond(ubuntuLinuxBridgeIntent, 'bond0', { mode: '802.3ad', lacpRate: 'fast' });
    const live = running(intent, { bond0: { mode: 'active-backup', lacpRate: 'slow' } });
    expect(linkParamSteps(intent, live).steps).toEqual([]);
    const noBond0 = { ...live, links: live.links.filter((l) => l.name !== 'bond0') };
    expect(linkParamSteps(withBond(intent, 'bond0', { miimon: 250 }), noBond0).steps).toEqual([]);
  });

  it('runs after the activation on every Linux target, before it the restore undoes them; a value read from the host that ip would not take is refused', () => {
    const live = running(centosLinuxBridgeIntent, { bond1: { miimon: 0 } });
    for (const target of ['el-network-scripts-linux', 'debian-ifupdown-linux', 'netplan-linux', 'networkmanager-linux'] as const) {
      const c = renderHost(centosLinuxBridgeIntent, target, { live, previous: expectedLiveState(centosLinuxBridgeIntent) });
      expect([target, argv(c.steps).at(-1)]).toEqual([target, 'ip link set dev bond1 type bond miimon 100']);
      expect([target, argv(c.undoSteps)]).toEqual([target, ['ip link set dev bond1 type bond miimon 0']]);
    }
    const odd = running(ubuntuLinuxBridgeIntent, { bond0: { miimon: 200 } });
    const intent = withBond(ubuntuLinuxBridgeIntent, 'bond0', { mode: 'balance-xor', xmitHashPolicy: 'layer2' });
    const hostile = { ...odd, links: odd.links.map((l) => (l.name === 'bond0' ? { ...l, bond: { ...l.bond, mode: 'balance-xor', xmitHashPolicy: '$(reboot)' } } : l)) };
    expect(() => linkParamSteps(intent, hostile)).toThrow(/bond xmit_hash_policy of bond0/);
  });
});

describe('refuseBondParamChanges: a running bond whose mode or lacp_rate would change', () => {
  const intent = withBond(ubuntuLinuxBridgeIntent, 'bond0', { mode: '802.3ad', lacpRate: 'fast' });

  it("refuses, naming the bond, each parameter with its live and intended value, what rides on the bond, and the fix", () => {
    const live = running(intent, { bond0: { mode: 'active-backup', lacpRate: 'slow' } });
    live.links.push({ name: 'vnet0', kind: 'nic', master: 'cloudbr0' });
    expect(() => refuseBondParamChanges(intent, live)).toThrow(
      /^bond bond0 runs with mode active-backup \(the profile sets 802\.3ad\) and lacp_rate slow \(the profile sets fast\), and carries bridge cloudbr0 \(address 192\.168\.100\.20\/24; ports vnet0\), VLAN bond0\.100 in bridge cloudbr100 \(address 10\.0\.100\.20\/24\): .*nothing was changed; fix: put the host in maintenance .*ip link set dev bond0 down; ip link set dev eth0 nomaster; ip link set dev eth1 nomaster; ip link set dev bond0 type bond mode 802\.3ad lacp_rate fast; ip link set dev eth0 master bond0; ip link set dev eth1 master bond0; ip link set dev bond0 up; then run the host again/,
    );
  });

  it('a renderHost with it: no steps, the refusal said (a dry-run still shows the files)', () => {
    const c = renderHost(intent, 'netplan-linux', { live: running(intent, { bond0: { mode: 'active-backup' } }), previous: expectedLiveState(intent) });
    expect(c.steps).toEqual([]);
    expect(c.refusal).toMatch(/^BondParamChangeError: bond bond0 runs with mode active-backup \(the profile sets 802\.3ad\)/);
    expect(c.files.length).toBeGreaterThan(0);
  });

  it('lets pass a bond that runs as intended, one the run creates, one whose mode facts did not read, and OVS', () => {
    expect(() => refuseBondParamChanges(intent, expectedLiveState(intent))).not.toThrow();
    const live = expectedLiveState(intent);
    expect(() => refuseBondParamChanges(intent, { ...live, links: live.links.filter((l) => l.name !== 'bond0') })).not.toThrow();
    expect(() => refuseBondParamChanges(intent, { ...live, links: live.links.map((l) => (l.name === 'bond0' ? { ...l, bond: undefined } : l)) })).not.toThrow();
    expect(() => refuseBondParamChanges({ ...intent, backend: 'ovs' }, running(intent, { bond0: { mode: 'active-backup' } }))).not.toThrow();
  });
});

describe('refuseStartingStp: STP turned on for a running bridge that carries traffic', () => {
  const stp = { ...ubuntuLinuxBridgeIntent, bridges: ubuntuLinuxBridgeIntent.bridges.map((b) => (b.name === 'cloudbr0' ? { ...b, stp: true, forwardDelay: 15 } : b)) };
  const stpOff = () => running(stp, { cloudbr0: { stp: false, forwardDelay: 0 } });

  it('refuses cloudbr0 with its address and a VM tap, naming the bridge, what rides on it, the cut and the fix', () => {
    const live = stpOff();
    live.links.push({ name: 'vnet0', kind: 'nic', master: 'cloudbr0' });
    expect(() => refuseStartingStp(stp, live)).toThrow(
      /^bridge cloudbr0 \(address 192\.168\.100\.20\/24; ports vnet0\) runs with STP off and the profile turns it on \(forward delay 15 s\): .*listening and learning.*BPDU guard.*nothing was changed; fix: put the host in maintenance .*ip link set dev cloudbr0 type bridge forward_delay 1500; ip link set dev cloudbr0 type bridge stp_state 1 once the switch ports take BPDUs, then run the host again; or keep stp false in the host's profile$/,
    );
  });

  it('a renderHost with it: no steps, the refusal said, on every Linux target', () => {
    const live = stpOff();
    live.links.push({ name: 'vnet0', kind: 'nic', master: 'cloudbr0' });
    for (const target of ['el-network-scripts-linux', 'debian-ifupdown-linux', 'netplan-linux', 'networkmanager-linux'] as const) {
      const c = renderHost(stp, target, { live, previous: expectedLiveState(stp) });
      expect([target, c.steps, c.refusal]).toEqual([target, [], expect.stringMatching(/^StpStartError: bridge cloudbr0 \(address 192\.168\.100\.20\/24; ports vnet0\) runs with STP off/)]);
    }
  });

  it("refuses a bridge with only the agent's device on it, or only an address", () => {
    const bare = { ...stpOff(), addresses: stpOff().addresses.filter((a) => a.dev !== 'cloudbr0') };
    expect(() => refuseStartingStp(stp, { ...bare, links: [...bare.links, { name: 'bond0.200', kind: 'vlan', parent: 'bond0', vlanId: 200, master: 'cloudbr0' }] })).toThrow(/^bridge cloudbr0 \(ports bond0\.200\) runs with STP off/);
    expect(() => refuseStartingStp(stp, stpOff())).toThrow(/^bridge cloudbr0 \(address 192\.168\.100\.20\/24\) runs/);
  });

  it('lets pass STP turned off live (forwarding ports keep forwarding), a bridge that carries nothing but its uplink, one the run creates, one already on, and OVS', () => {
    const on = running(ubuntuLinuxBridgeIntent, { cloudbr0: { stp: true, forwardDelay: 1500 } });
    on.links.push({ name: 'vnet0', kind: 'nic', master: 'cloudbr0' });
    expect(() => refuseStartingStp(ubuntuLinuxBridgeIntent, on)).not.toThrow();
    const bare = stpOff();
    expect(() => refuseStartingStp(stp, { ...bare, addresses: bare.addresses.filter((a) => a.dev !== 'cloudbr0') })).not.toThrow();
    expect(() => refuseStartingStp(stp, { ...bare, links: bare.links.filter((l) => l.name !== 'cloudbr0') })).not.toThrow();
    expect(() => refuseStartingStp(stp, expectedLiveState(stp))).not.toThrow();
    expect(() => refuseStartingStp({ ...stp, backend: 'ovs' }, bare)).not.toThrow();
  });
});
