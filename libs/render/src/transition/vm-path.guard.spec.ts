import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveLink, LiveState } from '@hostnet/intent/domain/live-state';
import { refuseCuttingOffVms } from './vm-path.guard';

/** Only what the guard reads of an intent: the bridges it names and the bonds it keeps. */
const intent = (bridges: string[], bonds: string[] = []) => ({ bridges: bridges.map((name) => ({ name })), bonds: bonds.map((name) => ({ name })) }) as unknown as HostNetworkIntent;
const state = (...links: LiveLink[]): LiveState => ({ links, addresses: [], routes: [] });
const nic = (name: string, master?: string): LiveLink => ({ name, kind: 'nic', up: true, ...(master ? { master } : {}) });

// cloudbr1 ← bond1 (eth2, eth3) + the VM tap vnet1; the agent's brbond1-200 ← bond1.200 + vnet0
const host = state(
  { name: 'cloudbr1', kind: 'bridge', members: ['bond1', 'vnet1'] },
  { name: 'bond1', kind: 'bond', master: 'cloudbr1', members: ['eth2', 'eth3'] },
  nic('eth2', 'bond1'),
  nic('eth3', 'bond1'),
  nic('vnet1', 'cloudbr1'),
  { name: 'brbond1-200', kind: 'bridge', members: ['bond1.200', 'vnet0'] },
  { name: 'bond1.200', kind: 'vlan', parent: 'bond1', vlanId: 200, master: 'brbond1-200' },
  nic('vnet0', 'brbond1-200'),
);

describe('refuseCuttingOffVms', () => {
  it('a bond only some of whose members leave still carries its bridge and its VLANs', () => {
    expect(() => refuseCuttingOffVms(intent(['cloudbr9']), host, { moved: ['eth3'], deleted: [] })).not.toThrow();
  });

  it('a bond the intent keeps is refilled by activation: emptying it cuts nothing', () => {
    expect(() => refuseCuttingOffVms(intent(['cloudbr1'], ['bond1']), host, { moved: ['eth2', 'eth3'], deleted: [] })).not.toThrow();
  });

  it('a bond emptied and not kept takes its bridge and its VLAN interface along: the first cut bridge is named', () => {
    expect(() => refuseCuttingOffVms(intent(['cloudbr9']), host, { moved: ['eth2', 'eth3'], deleted: [] })).toThrow(/^live bridge cloudbr1 still carries vnet1 .* would take away bond1, its only way/);
    expect(() => refuseCuttingOffVms(intent(['cloudbr1']), host, { moved: ['eth2', 'eth3'], deleted: [] })).toThrow(/^live bridge brbond1-200 still carries vnet0 .* would take away bond1\.200, its only way/);
  });

  it('a team device (read as a plain link) emptied of its ports counts as gone too', () => {
    const teamed = state({ name: 'cloudbr1', kind: 'bridge', members: ['team0', 'vnet1'] }, nic('team0', 'cloudbr1'), nic('eth2', 'team0'), nic('eth3', 'team0'), nic('vnet1', 'cloudbr1'));
    expect(() => refuseCuttingOffVms(intent(['cloudbr9']), teamed, { moved: ['eth2', 'eth3'], deleted: [] })).toThrow(/^live bridge cloudbr1 still carries vnet1 .* would take away team0, its only way/);
  });

  it('a VLAN on a VLAN of a deleted device goes with it', () => {
    const qinq = state(
      nic('eth4'),
      { name: 'eth4.100', kind: 'vlan', parent: 'eth4', vlanId: 100 },
      { name: 'eth4.100.200', kind: 'vlan', parent: 'eth4.100', vlanId: 200, master: 'brq-200' },
      { name: 'brq-200', kind: 'bridge', members: ['eth4.100.200', 'vnet2'] },
      nic('vnet2', 'brq-200'),
    );
    expect(() => refuseCuttingOffVms(intent([]), qinq, { moved: [], deleted: ['eth4.100'] })).toThrow(/^live bridge brq-200 still carries vnet2 .* would take away eth4\.100\.200/);
  });
});
