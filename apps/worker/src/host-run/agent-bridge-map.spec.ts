import type { LiveLink, LiveState } from '@hostnet/intent';
import { agentBridgeMapChanges } from './agent-bridge-map';

const state = (...links: LiveLink[]): LiveState => ({ links, addresses: [], routes: [] });
const bridge = (name: string, ...members: string[]): LiveLink => ({ name, kind: 'bridge', ...(members.length ? { members } : {}) });

describe('agentBridgeMapChanges: what the agent mapped at its start and a run changes', () => {
  it('names a Linux bridge the run creates', () => {
    expect(agentBridgeMapChanges(state({ name: 'eth0', kind: 'nic' }), state(bridge('cloudbr0', 'eth0')))).toEqual(['cloudbr0']);
  });

  it('names a bridge whose pif moves: eth2 into bond1, or a VLAN port onto another parent', () => {
    const before = state(bridge('cloudbr1', 'eth2', 'vnet3'), { name: 'eth2', kind: 'nic', master: 'cloudbr1' });
    expect(agentBridgeMapChanges(before, state(bridge('cloudbr1', 'bond1'), { name: 'bond1', kind: 'bond', members: ['eth2', 'eth3'] }))).toEqual(['cloudbr1']);
    const vlanBefore = state(bridge('cloudbr100', 'bond0.100'), { name: 'bond0.100', kind: 'vlan', parent: 'bond0', vlanId: 100 });
    const vlanAfter = state(bridge('cloudbr100', 'bond1.100'), { name: 'bond1.100', kind: 'vlan', parent: 'bond1', vlanId: 100 });
    expect(agentBridgeMapChanges(vlanBefore, vlanAfter)).toEqual(['cloudbr100']);
  });

  it('names nothing when the pif stays: VM taps, the agent\'s bridges and another VLAN port on the same parent do not count', () => {
    const before = state(bridge('cloudbr0', 'bond0', 'vnet0', 'vnet1'), bridge('brbond0-200', 'bond0.200', 'vnet2'), { name: 'bond0', kind: 'bond', members: ['eth0', 'eth1'] });
    expect(agentBridgeMapChanges(before, state(bridge('cloudbr0', 'bond0'), { name: 'bond0', kind: 'bond', members: ['eth0', 'eth1'] }))).toEqual([]);
    const vlan = (n: number): LiveLink => ({ name: `bond0.${n}`, kind: 'vlan', parent: 'bond0', vlanId: n });
    expect(agentBridgeMapChanges(state(bridge('cloudbr100', 'bond0.100'), vlan(100)), state(bridge('cloudbr100', 'bond0.101'), vlan(101)))).toEqual([]);
  });

  it('OVS: the agent maps each bridge to itself, so only a new one counts', () => {
    const ovs = (name: string, members: string[] = []): LiveLink => ({ name, kind: 'ovs-bridge', members });
    expect(agentBridgeMapChanges(state(ovs('cloudbr0', ['eth0'])), state(ovs('cloudbr0', ['bond0'])))).toEqual([]);
    expect(agentBridgeMapChanges(state(ovs('cloudbr0')), state(ovs('cloudbr0'), ovs('cloudbr1'), { name: 'cloud0', kind: 'ovs-bridge' }))).toEqual(['cloud0', 'cloudbr1']);
    expect(agentBridgeMapChanges(state(bridge('cloudbr1', 'eth2')), state(ovs('cloudbr1', ['eth2'])))).toEqual(['cloudbr1']);
  });
});
