import type { ZoneNetworkTopology } from '@hostnet/cloudstack';
import type { HostSpecService } from '@hostnet/platform';
import type { RelabelHostFacts } from '@hostnet/relabel';

/**
 * What the planner needs beyond CloudStack, from each host's intent (profiles): its bridge backend and the
 * interface the agent resolves under each label bridge (BridgeVifDriver.getPif: a VLAN interface counts as
 * its parent). A host whose intent cannot be built gets no facts (the planner warns instead of guessing).
 */
export function hostFactsFromIntents(topology: ZoneNetworkTopology, specs: HostSpecService): Record<string, RelabelHostFacts> {
  const facts: Record<string, RelabelHostFacts> = {};
  for (const host of topology.hosts) {
    try {
      const { intent } = specs.specFor(topology, host.id);
      const parentOf = new Map(intent.vlans.map((v) => [v.name, v.parent]));
      const pifs: Record<string, string> = {};
      for (const bridge of intent.bridges) if (bridge.uplink) pifs[bridge.name] = parentOf.get(bridge.uplink) ?? bridge.uplink;
      facts[host.id] = { backend: intent.backend, pifs };
    } catch {
      // No valid intent for this host: nothing known beyond CloudStack.
    }
  }
  return facts;
}
