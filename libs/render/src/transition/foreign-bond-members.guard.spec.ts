import { expectedLiveState } from '@hostnet/intent';
import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveState } from '@hostnet/intent/domain/live-state';
import { centosOvsIntent, ubuntuLinuxBridgeIntent } from '../../test/fixtures/reference-intents';
import { renderHost } from '../render-host';
import { refuseDroppingForeignBondMembers } from './foreign-bond-members.guard';

/** The intent's host as it runs, with eth4 added to `bond` by hand (and a VM tap, as on a live host). */
function withThirdMember(intent: HostNetworkIntent, bond: string): LiveState {
  const expected = expectedLiveState(intent);
  const links = expected.links.map((l) => (l.name === bond ? { ...l, members: [...(l.members ?? []), 'eth4'].sort() } : l));
  return { ...expected, links: [...links, { name: 'eth4', kind: 'nic', master: bond, up: true }, { name: 'vnet1', kind: 'nic', master: 'cloudbr0', up: true }] };
}

describe('refuseDroppingForeignBondMembers: a bond slave hostnet never listed', () => {
  it('OVS: bond0 with a third interface is refused, not re-made as add-bond cloudbr0 bond0 eth0 eth1', () => {
    const r = renderHost(centosOvsIntent, 'el-network-scripts-ovs', { live: withThirdMember(centosOvsIntent, 'bond0'), previous: expectedLiveState(centosOvsIntent) });
    expect(r.refusal).toMatch(/^ForeignBondMemberError: bond bond0 on the host also has eth4, which the host's profile does not list \(it lists eth0, eth1\): .*nothing was changed; fix: add eth4 to the bond's NICs/);
    expect(r.steps).toEqual([]);
  });

  it('Debian: eth4 written by hand with bond-master bond1 is refused, not ifdown --force eth4', () => {
    const live = withThirdMember(ubuntuLinuxBridgeIntent, 'bond1');
    const fresh = renderHost(ubuntuLinuxBridgeIntent, 'debian-ifupdown-linux', { live: expectedLiveState(ubuntuLinuxBridgeIntent) });
    const previousFiles = new Map(
      fresh.files.map((f) => [f.path, { content: f.path === '/etc/network/interfaces' ? `${f.content}\nauto eth4\niface eth4 inet manual\n    bond-master bond1\n` : f.content }]),
    );
    const r = renderHost(ubuntuLinuxBridgeIntent, 'debian-ifupdown-linux', { live, previousFiles });
    expect(r.refusal).toMatch(/^ForeignBondMemberError: bond bond1 on the host also has eth4/);
    expect(r.steps).toEqual([]);
  });

  it('a member hostnet\'s last run put in the bond, or one the intent places, is the intent\'s to move', () => {
    const live = withThirdMember(centosOvsIntent, 'bond0');
    const previous = withThirdMember(centosOvsIntent, 'bond0');
    expect(() => refuseDroppingForeignBondMembers(centosOvsIntent, live, previous)).not.toThrow();
    const placed = { ...centosOvsIntent, nics: [...centosOvsIntent.nics, { name: 'eth4' }] } as HostNetworkIntent;
    expect(() => refuseDroppingForeignBondMembers(placed, live)).not.toThrow();
    expect(() => refuseDroppingForeignBondMembers(centosOvsIntent, expectedLiveState(centosOvsIntent))).not.toThrow();
  });
});
