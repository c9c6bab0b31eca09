import type { ZoneNetworkTopology } from '@hostnet/cloudstack';
import { agentPifs } from '@hostnet/intent';
import type { HostSpecService } from '@hostnet/host-spec';
import type { RelabelHostFacts } from '@hostnet/relabel';

/**
 * What the planner needs beyond CloudStack, from each host's intent (profiles): its bridge backend and the
 * interface the agent resolves under each label bridge (`agentPifs`, shared with the zone lint). A host
 * whose intent cannot be built gets no facts; the plan is then refused with that intent's own problems
 * (invalid-intents.check.ts) before anything reads a guess.
 */
export function hostFactsFromIntents(topology: ZoneNetworkTopology, specs: HostSpecService): Record<string, RelabelHostFacts> {
  const facts: Record<string, RelabelHostFacts> = {};
  for (const host of topology.hosts) {
    try {
      const { intent } = specs.specFor(topology, host.id);
      const interfaces = [...intent.nics, ...intent.bonds, ...intent.vlans].map((d) => d.name);
      facts[host.id] = { backend: intent.backend, pifs: agentPifs(intent), interfaces };
    } catch {
      // No valid intent for this host: nothing known beyond CloudStack.
    }
  }
  return facts;
}
