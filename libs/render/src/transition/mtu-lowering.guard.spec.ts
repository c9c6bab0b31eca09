import type { LiveState } from '@hostnet/intent/domain/live-state';
import { expectedLiveState } from '@hostnet/intent/live/expected-live-state';
import { centosLinuxBridgeIntent as intent, centosOvsIntent } from '../../test/fixtures/reference-intents';
import { withBond } from '../../test/support/intent-variants';
import { renderHost } from '../render-host';
import { refuseLoweringMtu, refuseLoweringUnderForeignPorts } from './mtu-lowering.guard';

const configured = expectedLiveState(intent);
/** The configured host with these links at these MTUs. */
const jumbo = (mtus: Record<string, number>): LiveState => ({ ...configured, links: configured.links.map((l) => (mtus[l.name] ? { ...l, mtu: mtus[l.name] } : l)) });

describe('refuseLoweringMtu', () => {
  it('a host at the default MTU, or at the MTU the profile sets, is not refused', () => {
    expect(() => refuseLoweringMtu(intent, configured)).not.toThrow();
    // the bond's MTU is its members' too
    expect(() => refuseLoweringMtu(withBond(intent, 'bond1', { mtu: 9000 }), jumbo({ bond1: 9000, eth2: 9000, eth3: 9000 }))).not.toThrow();
  });

  it('refuses lowering a jumbo bond and its members the profile sets no MTU for, naming each and the network to set it on', () => {
    expect(() => refuseLoweringMtu(intent, jumbo({ bond1: 9000, eth2: 9000, eth3: 9000 }))).toThrow(
      'mtu: this run would lower eth2 from 9000 to 1500, eth3 from 9000 to 1500, bond1 from 9000 to 1500 (they run larger frames now, and the host\'s profile sets no mtu for them, ' +
        'so they would fall back to the default 1500; a device made anew takes it at once, the others at the next boot), nothing was changed; ' +
        'fix: set mtu: 9000 on the profile\'s network for cloudbr1 (or its extras entry) if the larger frames are meant, or mtu: 1500 there to have the run lower them',
    );
  });

  it('an MTU the profile sets is its intent, lowering included: an explicit 1500 (or 4000) under a jumbo bond is not refused', () => {
    const live = jumbo({ bond1: 9000, eth2: 9000, eth3: 9000 });
    expect(() => refuseLoweringMtu(withBond(intent, 'bond1', { mtu: 1500 }), live)).not.toThrow();
    expect(() => refuseLoweringMtu(withBond(intent, 'bond1', { mtu: 4000 }), live)).not.toThrow();
  });

  it('only the devices the profile is silent about are named: an explicit MTU elsewhere does not lift the refusal', () => {
    // bond1 lowered on purpose, eth0 (no MTU set) jumbo by hand: eth0 alone is refused
    expect(() => refuseLoweringMtu(withBond(intent, 'bond1', { mtu: 1500 }), jumbo({ bond1: 9000, eth2: 9000, eth3: 9000, eth0: 9000 }))).toThrow(
      /^mtu: this run would lower eth0 from 9000 to 1500 \(it runs larger frames now, and the host's profile sets no mtu for it,/,
    );
  });

  it('lowering an explicit MTU renders the ip steps that lower it, a bridge before its ports, members before their bond', () => {
    const jumboLive = jumbo({ bond1: 9000, eth2: 9000, eth3: 9000, cloudbr1: 9000 });
    const config = renderHost(withBond(intent, 'bond1', { mtu: 1500 }), 'el-network-scripts-linux', { live: jumboLive, previous: expectedLiveState(withBond(intent, 'bond1', { mtu: 9000 })) });
    expect(config.refusal).toBeUndefined();
    expect(config.steps.filter((s) => s.name.startsWith('mtu-')).map((s) => [s.name, s.argv.join(' ')])).toEqual([
      ['mtu-cloudbr1', expect.stringMatching(/ cloudbr1 1500$/)],
      ['mtu-eth2', 'ip link set dev eth2 mtu 1500'],
      ['mtu-eth3', 'ip link set dev eth3 mtu 1500'],
      ['mtu-bond1', 'ip link set dev bond1 mtu 1500'],
    ]);
  });

  it('a run refused for it renders no step, with the refusal as its answer', () => {
    const config = renderHost(intent, 'el-network-scripts-linux', { live: jumbo({ eth0: 9000 }), previous: configured });
    expect(config.steps).toEqual([]);
    expect(config.refusal).toMatch(/^MtuLoweringError: mtu: this run would lower eth0 from 9000 to 1500 \(it runs larger frames now, and the host's profile sets no mtu for it/);
  });
});

describe('refuseLoweringUnderForeignPorts: a VM tap above the MTU a run lowers its bridge to', () => {
  const lowered = withBond(intent, 'bond1', { mtu: 1500 });
  /** The jumbo host (bond1, its members and cloudbr1 at 9000) with these VM taps on cloudbr1. */
  const withTaps = (taps: Record<string, number>, mtus: Record<string, number> = { bond1: 9000, eth2: 9000, eth3: 9000, cloudbr1: 9000 }): LiveState => {
    const host = jumbo(mtus);
    return {
      ...host,
      links: [
        ...host.links.map((l) => (l.name === 'cloudbr1' ? { ...l, members: [...(l.members ?? []), ...Object.keys(taps)].sort() } : l)),
        ...Object.entries(taps).map(([name, mtu]) => ({ name, kind: 'nic' as const, master: 'cloudbr1', up: true, ...(mtu === 1500 ? {} : { mtu }) })),
      ],
    };
  };
  const refusal =
    "mtu: this run would lower cloudbr1 from 9000 to 1500, but vnet3 (mtu 9000) on it runs above 1500 (it is not hostnet's: a VM's tap or the CloudStack agent's port, which a run never changes, " +
    "so the VM's frames larger than the bridge's new MTU would be dropped), nothing was changed; fix: stop or migrate the VMs on cloudbr1 (put the host in maintenance), or lower that interface to 1500 or less first, then re-run";

  it('refuses lowering a bridge under a VM tap running above the new MTU, naming the bridge, the tap and its MTU, the target and the fix', () => {
    expect(() => refuseLoweringMtu(lowered, withTaps({ vnet3: 9000 }))).toThrow(refusal);
  });

  it('names each tap above the target, not those at or below it', () => {
    expect(() => refuseLoweringMtu(lowered, withTaps({ vnet3: 9000, vnet4: 1500, vnet5: 4000, vnet10: 9000 }))).toThrow(
      /^mtu: this run would lower cloudbr1 from 9000 to 1500, but vnet3 \(mtu 9000\), vnet5 \(mtu 4000\), vnet10 \(mtu 9000\) on it run above 1500 \(they are not hostnet's:.* or lower those interfaces to 1500 or less first, then re-run$/,
    );
  });

  it('a tap at or below the new MTU, or a bridge the run does not lower, is not refused', () => {
    expect(() => refuseLoweringMtu(lowered, withTaps({ vnet3: 1500 }))).not.toThrow();
    expect(() => refuseLoweringMtu(withBond(intent, 'bond1', { mtu: 4000 }), withTaps({ vnet3: 4000 }))).not.toThrow();
    // kept at 9000: the tap runs at the bridge's MTU
    expect(() => refuseLoweringMtu(withBond(intent, 'bond1', { mtu: 9000 }), withTaps({ vnet3: 9000 }))).not.toThrow();
    // a tap above a bridge that already runs at the target (its uplink too): nothing lowered by this run
    expect(() => refuseLoweringUnderForeignPorts(intent, withTaps({ vnet3: 9000 }, {}))).not.toThrow();
  });

  it('a bridge pinned low by hand but its uplink running jumbo still counts as lowered', () => {
    expect(() => refuseLoweringMtu(lowered, withTaps({ vnet3: 9000 }, { bond1: 9000, eth2: 9000, eth3: 9000, cloudbr1: 1500 }))).toThrow(/^mtu: this run would lower cloudbr1 from 9000 to 1500, but vnet3 \(mtu 9000\)/);
  });

  it('the render is refused before any step, with the refusal as its answer (a dry-run shows it too)', () => {
    const config = renderHost(lowered, 'el-network-scripts-linux', { live: withTaps({ vnet3: 9000 }), previous: expectedLiveState(withBond(intent, 'bond1', { mtu: 9000 })) });
    expect(config.steps).toEqual([]);
    expect(config.undoSteps).toEqual([]);
    expect(config.refusal).toBe(`MtuAboveForeignPortsError: ${refusal}`);
    // a tap at the new MTU: the bridge and the bond are lowered, the tap is never touched (given the host's
    // files: without them the activation is the whole restart, which would delete cloudbr1 under the tap)
    const jumbo = withBond(intent, 'bond1', { mtu: 9000 });
    const previousFiles = new Map(renderHost(jumbo, 'el-network-scripts-linux').files.map((f) => [f.path, { content: f.content }]));
    const fine = renderHost(lowered, 'el-network-scripts-linux', { live: withTaps({ vnet3: 1500 }), previous: expectedLiveState(jumbo), previousFiles });
    expect(fine.refusal).toBeUndefined();
    expect(fine.steps.map((s) => s.name)).toEqual(expect.arrayContaining(['mtu-cloudbr1', 'mtu-bond1']));
    expect(fine.steps.some((s) => s.argv.includes('vnet3'))).toBe(false);
  });

  it('OVS: an mtu the profile sets lowers the bridge through mtu_request, so a VM port above it on the bridge or a fake bridge on it is refused', () => {
    const ovs = { ...centosOvsIntent, bonds: centosOvsIntent.bonds.map((b) => (b.name === 'bond0' ? { ...b, mtu: 1500 } : b)) };
    const base = expectedLiveState(ovs);
    const live = (port: { name: string; master: string; mtu: number }): LiveState => ({
      ...base,
      links: [...base.links.map((l) => (['cloudbr0', 'eth0', 'eth1'].includes(l.name) ? { ...l, mtu: 9000 } : l)), { name: port.name, kind: 'nic', master: port.master, mtu: port.mtu, up: true }],
    });
    expect(() => refuseLoweringMtu(ovs, live({ name: 'vnet3', master: 'cloudbr0', mtu: 9000 }))).toThrow(/^mtu: this run would lower cloudbr0 from 9000 to 1500, but vnet3 \(mtu 9000\) on it runs above 1500/);
    expect(() => refuseLoweringMtu(ovs, live({ name: 'vnet7', master: 'cloudbr100', mtu: 9000 }))).toThrow(/^mtu: this run would lower cloudbr0 from 9000 to 1500, but vnet7 \(mtu 9000\) on it runs above 1500/);
    expect(() => refuseLoweringMtu(ovs, live({ name: 'vnet3', master: 'cloudbr0', mtu: 1500 }))).not.toThrow();
    // a profile silent about MTU asks OVS for none: nothing lowered, nothing refused for the tap
    expect(() => refuseLoweringUnderForeignPorts(centosOvsIntent, live({ name: 'vnet3', master: 'cloudbr0', mtu: 9000 }))).not.toThrow();
  });
});
