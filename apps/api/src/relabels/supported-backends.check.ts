import { RelabelProblems, type RelabelPlan } from '@hostnet/relabel';

/**
 * The worker renders the expand layout (new bridge beside the old) only for Open vSwitch today: a
 * Linux-bridge host would fail its first host step after the rollout began. Refuse the plan instead,
 * naming every such host, before anything changes.
 */
export function assertExpandableHosts(plan: RelabelPlan): void {
  const problems = new RelabelProblems();
  for (const step of plan.expand.filter((s) => s.backend !== 'ovs')) {
    problems.add(
      'scope',
      step.hostName,
      `uses Linux bridges, whose expand layout (the new bridge linked to the old by a veth pair) hostnet does not render yet`,
      'leave its cluster out of "scope" (a list of cluster ids or names), or relabel that cluster by hand in a maintenance window',
    );
  }
  problems.throwIfAny();
}
