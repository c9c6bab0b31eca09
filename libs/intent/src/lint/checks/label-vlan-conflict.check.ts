import type { TrafficTypeName } from '@hostnet/cloudstack';
import { decideStorageAgentRule, storageHasOwnLabel } from '../../agent/storage-version.rule';
import type { LintContext } from '../lint-context';
import { bridgeVlan, groupBy, locate, networkOfLabel } from '../lint-context';
import type { LintFinding } from '../zone-lint.types';

/**
 * A label shared by Storage and another traffic type while the pod's storage range is on a VLAN the
 * label's bridge is not on, on a Linux-bridge host whose agent version CloudStack did not report.
 * Agents before 4.20.2 plug the storage NIC untagged into that bridge (storage leaves on the wrong
 * VLAN); 4.20.2+ agents build `br<pif>-<vlan>` for it themselves. The builder refuses the first when it
 * knows the version (and on OVS, which plugs untagged in every version) and accepts the second
 * (storage-version.rule.ts), so only the unknown version is left for this warning.
 */
export function checkLabelVlanConflicts(ctx: LintContext): LintFinding[] {
  const hits: Array<{ label: string; others: TrafficTypeName[]; podId: string; storageVlan: number; bridgeVlan: number | null; host: LintContext['built'][number]['host'] }> = [];
  for (const { host, intent } of ctx.built) {
    const storageVlans = [...new Set(ctx.topology.storageRanges.filter((r) => r.podId === host.podId && r.vlan !== undefined).map((r) => r.vlan as number))];
    if (storageVlans.length === 0) continue;
    for (const bridge of intent.bridges) {
      if (!bridge.trafficTypes.includes('Storage') || bridge.trafficTypes.length < 2) continue;
      const vlan = bridgeVlan(intent, bridge);
      const storageLabeled = storageHasOwnLabel(ctx.topology);
      for (const storageVlan of storageVlans) {
        if (vlan === storageVlan) continue;
        if (decideStorageAgentRule({ agentVersion: host.agentVersion, backend: intent.backend, storageVlan, storageLabeled }).rule !== 'version-unknown') continue;
        hits.push({ label: bridge.name, others: bridge.trafficTypes.filter((t) => t !== 'Storage'), podId: host.podId, storageVlan, bridgeVlan: vlan, host });
      }
    }
  }
  return [...groupBy(hits, (h) => `${h.label}/${h.podId}/${h.storageVlan}/${h.bridgeVlan}`).values()].map((group) => {
    const [first] = group;
    const hosts = group.map((g) => g.host);
    const on = first.bridgeVlan === null ? 'untagged' : `on VLAN ${first.bridgeVlan}`;
    return {
      severity: 'warning' as const,
      code: 'label-vlan-conflict' as const,
      where: locate(ctx.topology, { podId: first.podId, hosts, physicalNetworkId: networkOfLabel(ctx.topology, first.label, 'Storage') }),
      message:
        `label ${first.label} carries ${first.others.join(', ')} and Storage, but the pod's storage range is on VLAN ${first.storageVlan} while ${first.label} is ${on} ` +
        `(CloudStack agent of unknown version (Linux bridge): before 4.20.2 it plugs the storage NIC untagged into ${first.label}, so storage traffic leaves on the wrong VLAN; from 4.20.2 it tags it on a br<pif>-${first.storageVlan} of its own); ` +
        `fix: let CloudStack report the agents' versions (listHosts), give Storage its own KVM label in CloudStack (e.g. cloudbr${first.storageVlan}) with an extras bridge on VLAN ${first.storageVlan} in the profile, or move the storage range to the VLAN ${first.label} is on`,
      hostIds: hosts.map((h) => h.id),
    };
  });
}
