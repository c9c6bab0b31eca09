import type { LintContext } from '../lint-context';
import { bridgeVlan, groupBy, locate, networkOfLabel } from '../lint-context';
import type { LintFinding } from '../zone-lint.types';

/**
 * CloudStack cannot give clusters different labels: a KVM label is stored once per physical network's
 * traffic type, zone-wide. What can differ between clusters is how hostnet realizes a label there (each
 * cluster may select its own profile): a label that is untagged in one cluster and on VLAN 200 in
 * another reaches two different networks under one name. Guest and Public labels must agree zone-wide;
 * Management/Storage-only labels within a pod (pods have their own management networks).
 */
export function checkLabelsBetweenClusters(ctx: LintContext): LintFinding[] {
  const seen: Array<{ label: string; scope: string; podId?: string; clusterId: string; vlan: string; hostId: string; physicalNetworkId?: string }> = [];
  for (const { host, intent } of ctx.built) {
    for (const bridge of intent.bridges) {
      if (bridge.trafficTypes.length === 0) continue;
      const podScoped = bridge.trafficTypes.every((t) => t === 'Management' || t === 'Storage');
      const vlan = bridgeVlan(intent, bridge);
      seen.push({
        label: bridge.name,
        scope: podScoped ? host.podId : '',
        podId: podScoped ? host.podId : undefined,
        clusterId: host.clusterId,
        vlan: vlan === null ? 'untagged' : `on VLAN ${vlan}`,
        hostId: host.id,
        physicalNetworkId: networkOfLabel(ctx.topology, bridge.name, bridge.trafficTypes[0]),
      });
    }
  }
  const findings: LintFinding[] = [];
  for (const group of groupBy(seen, (s) => `${s.label}/${s.scope}`).values()) {
    const byVlan = groupBy(group, (s) => s.vlan);
    if (byVlan.size < 2) continue;
    const clusterName = (id: string) => ctx.topology.clusters.find((c) => c.id === id)?.name ?? id;
    const ways = [...byVlan].map(([vlan, items]) => `${vlan} in cluster ${[...new Set(items.map((i) => clusterName(i.clusterId)))].join(', ')}`);
    const [first] = group;
    findings.push({
      severity: 'warning',
      code: 'label-differs-between-clusters',
      where: locate(ctx.topology, { podId: first.podId, physicalNetworkId: first.physicalNetworkId }),
      message: `label ${first.label} is ${ways.join(' but ')}; one CloudStack label names one network for the whole ${first.podId ? 'pod' : 'zone'}; fix: make the cluster profiles agree on ${first.label} (networks[].labelVlans / managementVlan)`,
      hostIds: [...new Set(group.map((s) => s.hostId))],
    });
  }
  return findings;
}
