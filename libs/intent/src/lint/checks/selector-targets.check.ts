import type { ZoneNetworkTopology } from '@hostnet/cloudstack';
import type { ProfileSelector } from '../../profile/host-profile.schema';
import { matches } from '../../profile/profile.selector';
import type { LintContext } from '../lint-context';
import type { LintFinding } from '../zone-lint.types';

/**
 * A selector naming a pod or cluster the zone does not have never matches, and its hosts quietly take
 * another selector's profile (often the default): a typo in `cluster:` is otherwise invisible. A selector
 * pinned to another zone is that zone's business; one without `zone:` may name another zone's pod or
 * cluster, which the message allows for.
 */
export function checkSelectorTargets(ctx: LintContext): LintFinding[] {
  const { topology } = ctx;
  const findings: LintFinding[] = [];
  ctx.profileSet.selectors.forEach((selector, i) => {
    if (!matches(selector.zone, topology.zone)) return;
    const problem = unmatched(selector, topology);
    if (!problem) return;
    const elsewhere = selector.zone === undefined ? `, unless it is meant for another zone` : '';
    findings.push({
      severity: 'warning',
      code: 'selector-matches-nothing',
      where: { zone: topology.zone.name },
      message: `selectors[${i}] (profile ${selector.profile}) ${problem}, so no host of this zone takes it${elsewhere}; fix: name one of ${choices(selector, topology)} (CloudStack id or name)`,
      hostIds: [],
    });
  });
  return findings;
}

/** Why the selector matches no host here, or undefined when it can. */
function unmatched(selector: ProfileSelector, topology: ZoneNetworkTopology): string | undefined {
  const pods = topology.pods.filter((p) => matches(selector.pod, p));
  if (pods.length === 0) return `names pod ${JSON.stringify(selector.pod)}, which zone ${topology.zone.name} does not have`;
  if (selector.cluster === undefined) return undefined;
  // Cluster names are unique within a pod only: any cluster of that name in a named pod will do.
  const clusters = topology.clusters.filter((c) => matches(selector.cluster, c));
  if (clusters.length === 0) return `names cluster ${JSON.stringify(selector.cluster)}, which zone ${topology.zone.name} does not have`;
  if (!clusters.some((c) => pods.some((p) => p.id === c.podId))) return `names cluster ${JSON.stringify(selector.cluster)}, which is not in pod ${pods[0]!.name}`;
  return undefined;
}

function choices(selector: ProfileSelector, topology: ZoneNetworkTopology): string {
  const list = (kind: string, names: string[]) => `the ${kind} ${names.slice(0, 8).join(', ')}${names.length > 8 ? ', …' : ''}`;
  const pod = selector.pod === undefined ? undefined : topology.pods.find((p) => matches(selector.pod, p));
  if (selector.pod !== undefined && !pod) return list('pods', topology.pods.map((p) => p.name));
  const clusters = pod ? topology.clusters.filter((c) => c.podId === pod.id) : topology.clusters;
  return list(pod ? `clusters of pod ${pod.name}:` : 'clusters', clusters.map((c) => c.name));
}
