import type { KvmHost, ZoneNetworkTopology } from '@hostnet/cloudstack';
import { AGENT_TAGGED, agentVlanBridgeName, agentVlanBridgeProblem, highestAgentVlan } from '@hostnet/intent';
import type { RelabelProblems } from './relabel-errors';
import type { RelabelHostFacts, RelabelWarning, ResolvedChange } from './relabel-plan.types';

/** Shared with the zone lint: one implementation of the agent's `br<pif>-<vlan>` names, in @hostnet/intent. */
export { AGENT_TAGGED, agentVlanBridgeName };

/** Facts for a host, looked up by id, then by name. */
export function factsFor(facts: Record<string, RelabelHostFacts> | undefined, host: KvmHost): RelabelHostFacts {
  return facts?.[host.id] ?? facts?.[host.name] ?? {};
}

/**
 * The native agent names a tagged NIC's bridge `br<pif>-<vlan>` after the physical interface under the label
 * bridge; after the contract the new bridge has the old one's uplink, unless the host's facts say otherwise.
 * Every such name must fit IFNAMSIZ (15), or VM starts fail on that host. OVS hosts tag ports instead.
 */
export function checkAgentBridgeNames(
  topology: ZoneNetworkTopology,
  changes: ResolvedChange[],
  hosts: KvmHost[],
  hostFacts: Record<string, RelabelHostFacts> | undefined,
  publicVlans: number[] | undefined,
  problems: RelabelProblems,
  warnings: RelabelWarning[],
): void {
  const unknownPif = new Set<string>();
  let publicGuessed = false;
  for (const change of changes) {
    if (!AGENT_TAGGED.has(change.trafficType)) continue;
    /** The shared problem text per too-long name, and the hosts that would get it. */
    const tooLong = new Map<string, { problem: string; hosts: string[] }>();
    for (const host of hosts) {
      const facts = factsFor(hostFacts, host);
      if ((facts.backend ?? 'linux') === 'ovs') continue;
      const vlan = highestAgentVlan(topology, change.trafficType, change.physicalNetworkId, host.podId, publicVlans);
      if (vlan === null) continue;
      if (change.trafficType === 'Public' && publicVlans === undefined) publicGuessed = true;
      const pif = facts.pifs?.[change.newLabel] ?? facts.pifs?.[change.oldLabel];
      if (pif === undefined) {
        unknownPif.add(host.id);
        continue;
      }
      const problem = agentVlanBridgeProblem(pif, vlan);
      if (problem === null) continue;
      const name = agentVlanBridgeName(pif, vlan);
      tooLong.set(name, { problem, hosts: [...(tooLong.get(name)?.hosts ?? []), host.name] });
    }
    for (const { problem, hosts: names } of tooLong.values()) {
      // The zone lint's wording ("the agent would create …; fix: …"), with the hosts that would get the name.
      const [what, fix = ''] = problem.split('; fix: ');
      problems.add(
        `changes(${change.physicalNetworkName}/${change.trafficType}).newLabel`,
        change.newLabel,
        `leads to VLAN bridges on ${names.length} host(s) (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', ...' : ''}) where ${what}`,
        fix,
      );
    }
  }
  if (unknownPif.size > 0) {
    warnings.push({
      code: 'pif-unknown',
      message: `br<pif>-<vlan> length not checked on ${unknownPif.size} host(s): no pif known for the relabelled bridge; pass hostFacts.<host>.pifs from the host intents`,
      hostIds: [...unknownPif].sort(),
    });
  }
  if (publicGuessed) {
    warnings.push({ code: 'public-vlans-unknown', message: 'Public VLANs unknown: checked br<pif>-<vlan> against the worst case VLAN 4094; for an exact check give the zone\'s Public VLANs (listVlanIpRanges): relabel plan --public-vlans 100-199,300, or publicVlans in POST /relabels' });
  }
}
