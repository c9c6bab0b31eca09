import type { TrafficTypeName, ZoneNetworkTopology } from '@hostnet/cloudstack';
import type { HostNetworkIntent } from '../domain/host-network-intent';
import { MAX_INTERFACE_NAME_LENGTH } from '../validation/interface-name.validator';
import { VLAN_ID_MAX } from '../validation/network-values.validator';

/**
 * The bridges the native (Linux bridge) KVM agent creates itself, `br<pif>-<vlan>`: the one place
 * hostnet computes their names. Used by the zone lint and by relabel's planner (CloudStack issues
 * 10883/10884: a name over 15 characters makes VM starts fail on that host). OVS hosts tag ports instead.
 */

/** Traffic types whose NICs the native agent may put on a bridge it creates, `br<pif>-<vlan>` (BridgeVifDriver.plug). */
export const AGENT_TAGGED: ReadonlySet<TrafficTypeName> = new Set(['Guest', 'Public', 'Storage']);

/** The name BridgeVifDriver.generateVnetBrName gives the bridge of VLAN `vlan` on `pif`. */
export function agentVlanBridgeName(pif: string, vlan: number): string {
  return `br${pif}-${vlan}`;
}

/** Why the agent's bridge for `vlan` on `pif` cannot exist (with the fix), or null when its name fits. */
export function agentVlanBridgeProblem(pif: string, vlan: number): string | null {
  const name = agentVlanBridgeName(pif, vlan);
  if (name.length <= MAX_INTERFACE_NAME_LENGTH) return null;
  return `the agent would create ${name} (${name.length} characters, Linux allows ${MAX_INTERFACE_NAME_LENGTH}); fix: give the uplink a shorter name in the host profile (e.g. bond0) or keep the VLAN ids shorter`;
}

/**
 * The highest VLAN id the agent may derive a bridge for, for one traffic type of a host in pod `podId`,
 * or null when that traffic is never tagged. Guest: the top of the physical network's guest VLAN ranges;
 * Public: the highest of `publicVlans` (listVlanIpRanges), the worst case 4094 when unknown; Storage: the
 * pod's storage range VLAN.
 */
export function highestAgentVlan(
  topology: ZoneNetworkTopology,
  trafficType: TrafficTypeName,
  physicalNetworkId: string,
  podId: string,
  publicVlans: readonly number[] | undefined,
): number | null {
  switch (trafficType) {
    case 'Guest': {
      const network = topology.physicalNetworks.find((n) => n.id === physicalNetworkId);
      const ends = (network?.vlanRanges ?? []).map((r) => r.end);
      return ends.length > 0 ? Math.max(...ends) : null;
    }
    case 'Public':
      return publicVlans === undefined ? VLAN_ID_MAX : publicVlans.length > 0 ? Math.max(...publicVlans) : null;
    case 'Storage': {
      const vlans = topology.storageRanges.filter((r) => r.podId === podId && r.vlan !== undefined).map((r) => r.vlan as number);
      return vlans.length > 0 ? Math.max(...vlans) : null;
    }
    default:
      return null;
  }
}

/**
 * The physical interface the agent resolves under a bridge (LibvirtComputingResource.getPif): the
 * bridge's port, or the parent of that port when it is a VLAN interface (`bond0.100` → `bond0`).
 * Null for OVS intents, fake bridges and bridges without an uplink.
 */
export function agentPifOf(intent: HostNetworkIntent, bridgeName: string): string | null {
  if (intent.backend !== 'linux') return null;
  const bridge = intent.bridges.find((b) => b.name === bridgeName);
  if (bridge?.uplink === undefined) return null;
  return intent.vlans.find((v) => v.name === bridge.uplink)?.parent ?? bridge.uplink;
}

/** `label → pif` for every traffic-label bridge of a linux intent (relabel's `hostFacts.<host>.pifs`). */
export function agentPifs(intent: HostNetworkIntent): Record<string, string> {
  const out: Record<string, string> = {};
  for (const bridge of intent.bridges) {
    if (bridge.trafficTypes.length === 0) continue;
    const pif = agentPifOf(intent, bridge.name);
    if (pif !== null) out[bridge.name] = pif;
  }
  return out;
}
