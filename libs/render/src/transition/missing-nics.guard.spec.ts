import type { LiveLink, LiveState } from '@hostnet/intent/domain/live-state';
import { expectedLiveState } from '@hostnet/intent/live/expected-live-state';
import { centosLinuxBridgeIntent as base } from '../../test/fixtures/reference-intents';
import { withoutBond1 } from '../../test/support/intent-variants';
import { refuseMissingNics } from './missing-nics.guard';

const live = expectedLiveState(base);
const without = (state: LiveState, ...names: string[]): LiveState => ({ ...state, links: state.links.filter((l) => !names.includes(l.name)) });
const plus = (state: LiveState, ...links: LiveLink[]): LiveState => ({ ...state, links: [...state.links, ...links] });

describe('refuseMissingNics', () => {
  it('names every missing NIC with what it was for, and lists the host NICs in natural order without VM taps', () => {
    const host = plus(without(live, 'eth1', 'eth3'), { name: 'eth10', kind: 'nic', up: true }, { name: 'vnet0', kind: 'nic', up: true, master: 'cloudbr0' });
    expect(() => refuseMissingNics(withoutBond1(base), host)).toThrow(
      /^nics: eth1 \(for bond0\), eth3 \(for cloudbr1\) are not interfaces of the host \(its NICs: eth0, eth2, eth10\), so activation could not use them; nothing was changed; fix: /,
    );
  });

  it('lists at most 16 of a host NICs and says how many there are, so the fix stays in a capped reason', () => {
    const many = plus(without(live, 'eth3'), ...Array.from({ length: 20 }, (_, i) => ({ name: `ens${i + 1}`, kind: 'nic' as const, up: true })));
    expect(() => refuseMissingNics(base, many)).toThrow(/\(its NICs: ens1, ens2, ens3, .*, ens10, .*, ens16, … \(23 in all\)\), so activation/);
  });

  it('leaves a host alone when only OVS rows were read (no kernel link list), or every NIC is there', () => {
    const ovsOnly: LiveState = { ...live, links: live.links.filter((l) => l.name !== 'eth1').map(({ up: _up, ...l }) => l) };
    expect(() => refuseMissingNics(base, ovsOnly)).not.toThrow();
    expect(() => refuseMissingNics(base, live)).not.toThrow();
  });
});
