import type { KvmHost, TrafficTypeName, ZoneNetworkTopology } from '@hostnet/cloudstack';
import { MAX_INTERFACE_NAME_LENGTH, VLAN_ID_MAX } from '@hostnet/intent';
import type { RelabelProblems } from './relabel-errors';
import type { RelabelHostFacts, RelabelWarning, ResolvedChange } from './relabel-plan.types';

/** Traffic types whose NICs the native agent may put on a bridge it creates, `br<pif>-<vlan>` (BridgeVifDriver.plug). */
export const AGENT_TAGGED: ReadonlySet<TrafficTypeName> = new Set(['Guest', 'Public', 'Storage']);

/** The name BridgeVifDriver.generateVnetBrName gives the bridge of VLAN `vlan` on `pif`. */
export function agentVlanBridgeName(pif: string, vlan: number): string {
  return `br${pif}-${vlan}`;
}

/** Facts for a host, looked up by id, then by name. */
export function factsFor(facts: Record<string, RelabelHostFacts> | undefined, host: KvmHost): RelabelHostFacts {
  return facts?.[host.id] ?? facts?.[host.name] ?? {};
}

/** The highest VLAN id the agent may derive a bridge for, per change; null when nothing is tagged. */
function highestVlan(topology: ZoneNetworkTopology, change: ResolvedChange, host: KvmHost, publicVlans: number[] | undefined): number | null {
  switch (change.trafficType) {
    case 'Guest': {
      const network = topology.physicalNetworks.find((n) => n.id === change.physicalNetworkId);
      const ends = (network?.vlanRanges ?? []).map((r) => r.end);
      return ends.length > 0 ? Math.max(...ends) : null;
    }
    case 'Public':
      return publicVlans === undefined ? VLAN_ID_MAX : publicVlans.length > 0 ? Math.max(...publicVlans) : null;
    case 'Storage': {
      const vlans = topology.storageRanges.filter((r) => r.podId === host.podId && r.vlan !== undefined).map((r) => r.vlan as number);
      return vlans.length > 0 ? Math.max(...vlans) : null;
    }
    default:
      return null;
  }
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
    const tooLong = new Map<string, string[]>();
    for (const host of hosts) {
      const facts = factsFor(hostFacts, host);
      if ((facts.backend ?? 'linux') === 'ovs') continue;
      const vlan = highestVlan(topology, change, host, publicVlans);
      if (vlan === null) continue;
      if (change.trafficType === 'Public' && publicVlans === undefined) publicGuessed = true;
      const pif = facts.pifs?.[change.newLabel] ?? facts.pifs?.[change.oldLabel];
      if (pif === undefined) {
        unknownPif.add(host.id);
        continue;
      }
      const name = agentVlanBridgeName(pif, vlan);
      if (name.length > MAX_INTERFACE_NAME_LENGTH) tooLong.set(name, [...(tooLong.get(name) ?? []), host.name]);
    }
    for (const [name, names] of tooLong) {
      problems.add(
        `changes(${change.physicalNetworkName}/${change.trafficType}).newLabel`,
        change.newLabel,
        `would carry VLAN bridges like ${name} (${name.length} characters, Linux allows ${MAX_INTERFACE_NAME_LENGTH}) on ${names.length} host(s): ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', ...' : ''}`,
        'give the uplink a shorter name in the host profile (e.g. bond0) or keep the VLAN ids shorter',
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
    warnings.push({ code: 'public-vlans-unknown', message: 'Public VLANs unknown: checked br<pif>-<vlan> against the worst case VLAN 4094; pass publicVlans from listVlanIpRanges for an exact check' });
  }
}
