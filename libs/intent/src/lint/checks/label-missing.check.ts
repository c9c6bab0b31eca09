import type { LintContext } from '../lint-context';
import { locate } from '../lint-context';
import type { LintFinding } from '../zone-lint.types';

/** A traffic type with no KVM label: the agent falls back to another label (public←guest←private, then cloudbr0). */
export function checkMissingLabels(ctx: LintContext): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const network of ctx.topology.physicalNetworks) {
    for (const traffic of network.trafficTypes) {
      if (traffic.labelSource !== 'agent-default') continue;
      findings.push({
        severity: 'warning',
        code: 'label-missing',
        where: locate(ctx.topology, { physicalNetworkId: network.id }),
        message: `${traffic.trafficType} traffic has no KVM label, so the agent falls back to ${traffic.effectiveLabel}; fix: set the KVM label of ${traffic.trafficType} on this physical network in CloudStack (updateTrafficType kvmnetworklabel=...), even if it is ${traffic.effectiveLabel}`,
        hostIds: ctx.topology.hosts.map((h) => h.id),
      });
    }
  }
  return findings;
}
