import type { ZoneNetworkTopology } from '@hostnet/cloudstack';
import type { HostSpecService } from '@hostnet/host-spec';
import type { IntentViolation } from '@hostnet/intent';
import { RelabelValidationError, type RelabelPlan } from '@hostnet/relabel';

/**
 * A host in scope whose intent cannot be built today has no known bridge backend or interfaces, so every
 * later check would guess about it (the planner's `linux` default made an OVS host "a Linux-bridge host on
 * target …"). Refused first, with the intent's own problems (each names its field, a CloudStack label or a
 * profile entry, and the fix, as `hostnet lint` and `hostnet plan` say them), once per problem with the
 * hosts it stops.
 */
export function assertInScopeIntentsBuild(plan: RelabelPlan, topology: ZoneNetworkTopology, specs: HostSpecService): void {
  const byMessage = new Map<string, { violation: IntentViolation; hosts: string[] }>();
  for (const step of plan.expand) {
    for (const violation of intentProblems(topology, specs, step.hostId, step.hostName)) {
      const cause = byMessage.get(violation.message) ?? { violation, hosts: [] };
      cause.hosts.push(step.hostName);
      byMessage.set(violation.message, cause);
    }
  }
  if (byMessage.size === 0) return;
  throw new RelabelValidationError(
    [...byMessage.values()].map(({ violation, hosts }) => ({
      ...violation,
      message: `no network intent of ${hosts.join(', ')} can be built, so the rollout cannot plan ${hosts.length === 1 ? 'its steps' : 'their steps'}: ${violation.message}`,
    })),
  );
}

function intentProblems(topology: ZoneNetworkTopology, specs: HostSpecService, hostId: string, hostName: string): readonly IntentViolation[] {
  try {
    specs.specFor(topology, hostId);
    return [];
  } catch (error) {
    const violations = (error as { violations?: readonly IntentViolation[] }).violations;
    if (violations && violations.length > 0) return violations;
    return [{ field: `hosts.${hostName}`, value: undefined, message: `hosts.${hostName}: ${(error as Error).message}; fix: hostnet lint --zone ${topology.zone.name} shows why` }];
  }
}
