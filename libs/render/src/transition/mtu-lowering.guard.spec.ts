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
      'mtu: this run would lower eth2 from 9000 to 1500, eth3 from 9000 to 1500, bond1 from 9000 to 1500 (they run larger frames now than the host\'s profile gives them, 1500 where it sets none; ' +
        'a device made anew takes it at once, the others at the next boot), nothing was changed; fix: set mtu: 9000 on the profile\'s network for cloudbr1 (or its extras entry) if the larger frames are meant, or lower the MTU on the host first if the profile\'s is',
    );
  });

  it('a run refused for it renders no step, with the refusal as its answer', () => {
    const config = renderHost(intent, 'el-network-scripts-linux', { live: jumbo({ eth0: 9000 }), previous: configured });
    expect(config.steps).toEqual([]);
    expect(config.refusal).toMatch(/^MtuLoweringError: mtu: this run would lower eth0 from 9000 to 1500 \(it runs larger frames now than/);
  });
});
