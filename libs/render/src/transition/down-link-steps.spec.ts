import type { LiveState } from '@hostnet/intent/domain/live-state';
import { expectedLiveState } from '@hostnet/intent/live/expected-live-state';
import { centosLinuxBridgeIntent } from '../../test/fixtures/reference-intents';
import { downLinkSteps } from './down-link-steps';

const configured = expectedLiveState(centosLinuxBridgeIntent);
const withDown = (names: string[]): LiveState => ({ ...configured, links: configured.links.map((l) => (names.includes(l.name) ? { ...l, up: false } : l)) });

describe('downLinkSteps: links of the intent found down, set up after the activation', () => {
  it('a configured host: nothing', () => {
    expect(downLinkSteps(centosLinuxBridgeIntent, configured)).toEqual([]);
  });

  it('lower devices first (NIC, bond, VLAN), bridges last, each its own step that the restore re-activation never runs', () => {
    const steps = downLinkSteps(centosLinuxBridgeIntent, withDown(['cloudbr1', 'bond1', 'eth2', 'bond0.100']));
    expect(steps.map((s) => [s.name, s.argv.join(' ')])).toEqual([
      ['up-eth2', 'ip link set dev eth2 up'],
      ['up-bond1', 'ip link set dev bond1 up'],
      ['up-bond0.100', 'ip link set dev bond0.100 up'],
      ['up-cloudbr1', 'ip link set dev cloudbr1 up'],
    ]);
    expect(steps.every((s) => s.phase === 'activate')).toBe(true);
  });

  it("leaves alone what the intent does not name (a VM's tap) and what does not exist yet (its files bring it up)", () => {
    const live: LiveState = { ...configured, links: [...configured.links.filter((l) => l.name !== 'cloudbr1'), { name: 'vnet0', kind: 'nic', master: 'cloudbr0', up: false }] };
    expect(downLinkSteps(centosLinuxBridgeIntent, live)).toEqual([]);
  });
});
