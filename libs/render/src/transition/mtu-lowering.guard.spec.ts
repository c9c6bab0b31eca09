import type { LiveState } from '@hostnet/intent/domain/live-state';
import { expectedLiveState } from '@hostnet/intent/live/expected-live-state';
import { centosLinuxBridgeIntent as intent } from '../../test/fixtures/reference-intents';
import { withBond } from '../../test/support/intent-variants';
import { renderHost } from '../render-host';
import { refuseLoweringMtu } from './mtu-lowering.guard';

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
