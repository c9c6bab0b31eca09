import type { TrafficTypeName } from '@hostnet/cloudstack';
import type { LintContext } from '../lint-context';
import { bridgeVlan, groupBy, locate, networkOfLabel } from '../lint-context';
import type { LintFinding } from '../zone-lint.types';

/**
 * A label shared by Storage and another traffic type while the pod's storage range is on a VLAN the
 * label's bridge is not on. Management (and the trunk Guest/Public ride on) needs the bridge untagged
 * or on its own VLAN; agents before 4.20.2 and OVS plug the storage NIC untagged into that same bridge,
 * so storage traffic would leave on the wrong VLAN. An unset Storage label falling back to the
 * Management label is the usual way in. A warning, not an error: 4.20.2+ Linux-bridge agents create
 * `br<pif>-<vlan>` for such a storage NIC themselves (issue 11 item 1), and the zone model carries no
 * agent version to tell the two apart.
 */
export function checkLabelVlanConflicts(ctx: LintContext): LintFinding[] {
  const hits: Array<{ label: string; others: TrafficTypeName[]; podId: string; storageVlan: number; bridgeVlan: number | null; host: LintContext['built'][number]['host'] }> = [];
  for (const { host, intent } of ctx.built) {
    const storageVlans = [...new Set(ctx.topology.storageRanges.filter((r) => r.podId === host.podId && r.vlan !== undefined).map((r) => r.vlan as number))];
    if (storageVlans.length === 0) continue;
    for (const bridge of intent.bridges) {
      if (!bridge.trafficTypes.includes('Storage') || bridge.trafficTypes.length < 2) continue;
      const vlan = bridgeVlan(intent, bridge);
      for (const storageVlan of storageVlans) {
        if (vlan === storageVlan) continue;
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
        `(agents before 4.20.2 and OVS plug the storage NIC untagged into ${first.label}, so storage traffic leaves on the wrong VLAN; 4.20.2+ Linux-bridge agents tag it on a br<pif>-${first.storageVlan} of their own); ` +
        `fix: give Storage its own KVM label in CloudStack (e.g. cloudbr${first.storageVlan}) with an extras bridge on VLAN ${first.storageVlan} in the profile, or move the storage range to the VLAN ${first.label} is on`,
      hostIds: hosts.map((h) => h.id),
    };
  });
}
