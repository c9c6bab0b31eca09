import type { KvmHost } from '@hostnet/cloudstack';
import { AGENT_TAGGED, agentPifOf, agentVlanBridgeName, agentVlanBridgeProblem, highestAgentVlan } from '../../agent/agent-vlan-bridges';
import { decideStorageAgentRule, storageHasOwnLabel } from '../../agent/storage-version.rule';
import type { BridgeBackend } from '../../domain/host-network-intent';
import type { LintContext } from '../lint-context';
import { groupBy, locate, networkOfLabel } from '../lint-context';
import type { LintFinding } from '../zone-lint.types';

interface TooLong {
  host: KvmHost;
  label: string;
  trafficType: string;
  physicalNetworkId?: string;
  name: string;
  problem: string;
  guessed: boolean;
}

/**
 * CloudStack issues 10883/10884: on a Linux-bridge host the agent creates `br<pif>-<vlan>` for every
 * tagged Guest, Public and Storage NIC; a name over 15 characters fails the VM start. Checked for the
 * highest VLAN the zone uses per traffic type (guest ranges, public VLANs, the pod's storage VLAN; the
 * latter only where the agent tags storage itself or its version is unknown, storage-version.rule.ts).
 */
export function checkAgentBridgeNames(ctx: LintContext): LintFinding[] {
  const hits: TooLong[] = [];
  for (const { host, intent } of ctx.built) {
    for (const bridge of intent.bridges) {
      const pif = agentPifOf(intent, bridge.name);
      if (pif === null) continue;
      for (const trafficType of bridge.trafficTypes) {
        if (!AGENT_TAGGED.has(trafficType)) continue;
        const physicalNetworkId = networkOfLabel(ctx.topology, bridge.name, trafficType);
        const vlan = highestAgentVlan(ctx.topology, trafficType, physicalNetworkId ?? '', host.podId, ctx.publicVlans);
        if (vlan === null) continue;
        if (trafficType === 'Storage' && !agentTagsStorage(ctx, host, intent.backend, vlan)) continue;
        const problem = agentVlanBridgeProblem(pif, vlan);
        if (problem === null) continue;
        const guessed = trafficType === 'Public' && ctx.publicVlans === undefined;
        hits.push({ host, label: bridge.name, trafficType, physicalNetworkId, name: agentVlanBridgeName(pif, vlan), problem, guessed });
      }
    }
  }
  return [...groupBy(hits, (h) => `${h.label}/${h.trafficType}/${h.name}`).values()].map((group) => {
    const [first] = group;
    const hosts = group.map((g) => g.host);
    const vlanNote = first.guessed ? ' for VLAN 4094, the worst case: Public VLANs were not given (pass --public-vlans for an exact check)' : '';
    return {
      severity: first.guessed ? ('warning' as const) : ('error' as const),
      code: 'agent-bridge-name-too-long' as const,
      where: locate(ctx.topology, { hosts, physicalNetworkId: first.physicalNetworkId }),
      message: `${first.trafficType} on label ${first.label}: ${first.problem.replace('; fix:', `${vlanNote} on ${hosts.length} host(s); fix:`)}`,
      hostIds: hosts.map((h) => h.id),
    };
  });
}

/** False when this host's agent is known to plug storage NICs untagged (no `br<pif>-<vlan>` for them). */
function agentTagsStorage(ctx: LintContext, host: KvmHost, backend: BridgeBackend, storageVlan: number): boolean {
  const storageLabeled = storageHasOwnLabel(ctx.topology);
  const { rule } = decideStorageAgentRule({ agentVersion: host.agentVersion, backend, storageVlan, storageLabeled });
  return rule === 'agent-builds-vlan-bridge' || rule === 'version-unknown';
}
