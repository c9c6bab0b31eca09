import type { ZoneNetworkTopology } from '@hostnet/cloudstack';
import type { HostSpecService } from '@hostnet/host-spec';
import { hostFactsFromIntents } from './relabel-host-facts';

const topology = { hosts: [{ id: 'h1' }, { id: 'h2' }, { id: 'h3' }] } as unknown as ZoneNetworkTopology;
const intents: Record<string, unknown> = {
  h1: {
    backend: 'linux',
    bridges: [
      { name: 'cloudbr0', uplink: 'bond0', trafficTypes: ['Management', 'Guest'] },
      { name: 'cloudbr1', uplink: 'bond0.100', trafficTypes: ['Public'] },
      { name: 'brbackup', uplink: 'eth3', trafficTypes: [] },
    ],
    vlans: [{ name: 'bond0.100', parent: 'bond0', id: 100 }],
    nics: [{ name: 'eth0' }, { name: 'eth1' }, { name: 'eth3' }],
    bonds: [{ name: 'bond0' }],
  },
  h2: { backend: 'ovs', bridges: [{ name: 'cloudbr0', uplink: 'bond0', trafficTypes: ['Guest'] }], vlans: [], nics: [{ name: 'eth0' }], bonds: [{ name: 'bond0' }] },
};
const specs = {
  specFor: (_t: ZoneNetworkTopology, hostId: string) => {
    if (!intents[hostId]) throw new Error('no profile matches');
    return { intent: intents[hostId], specHash: 'x' };
  },
} as unknown as HostSpecService;

describe('hostFactsFromIntents', () => {
  it('gives each host its backend, the pif the native agent resolves under each traffic-label bridge (the shared agentPifs) and its interface names', () => {
    expect(hostFactsFromIntents(topology, specs)).toEqual({
      // a VLAN uplink counts as its parent; a bridge that carries no traffic label is not the agent's
      h1: { backend: 'linux', pifs: { cloudbr0: 'bond0', cloudbr1: 'bond0' }, interfaces: ['eth0', 'eth1', 'eth3', 'bond0', 'bond0.100'] },
      // OVS agents tag ports and derive no br<pif>-<vlan>: no pifs
      h2: { backend: 'ovs', pifs: {}, interfaces: ['eth0', 'bond0'] },
    });
  });
});
