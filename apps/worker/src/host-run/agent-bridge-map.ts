import { linuxPif } from '@hostnet/apply';
import type { LiveState } from '@hostnet/intent';

/**
 * The bridges whose entry in the agent's bridge → pif map a run changes: the agent reads the map once, at
 * its start (BridgeVifDriver getPifs: each Linux bridge's first pif-pattern port, a VLAN port's parent;
 * OvsVifDriver getOvsPifs: each OVS bridge maps to itself), so until it restarts it builds guest VLAN
 * bridges on the pif it saw then, or on the label device itself for a bridge that did not exist.
 * `before` is the live state facts read; `after` the one the run verified.
 */
export function agentBridgeMapChanges(before: LiveState, after: LiveState): string[] {
  const had = new Map(before.links.map((l) => [l.name, l]));
  const changed: string[] = [];
  for (const link of after.links) {
    const was = had.get(link.name);
    if (link.kind === 'bridge') {
      if (was?.kind !== 'bridge' || linuxPif(before, link.name).name !== linuxPif(after, link.name).name) changed.push(link.name);
    } else if (link.kind === 'ovs-bridge' || link.kind === 'ovs-fake-bridge') {
      if (was?.kind !== 'ovs-bridge' && was?.kind !== 'ovs-fake-bridge') changed.push(link.name);
    }
  }
  return changed.sort();
}
