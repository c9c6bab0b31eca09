import { RelabelProblems, type RelabelPlan } from '@hostnet/relabel';
import { EXPAND_LAYOUT_TARGETS } from '@hostnet/render';

/** Linux targets whose expand layout (the new bridge linked to the old by a veth pair) hostnet renders, applies, undoes and verifies. */
export const LINUX_EXPAND_TARGETS: readonly string[] = EXPAND_LAYOUT_TARGETS.filter((t) => t.endsWith('-linux'));

/**
 * The worker renders the expand layout for Open vSwitch and for the Linux-bridge targets above only: any
 * other host would fail its first host step after the rollout began. A Linux host's target is the one its
 * latest hostnet run detected (`targets`, by host id); one never run by hostnet, or on another target, is
 * refused with the plan, by name, before anything changes.
 */
export function assertExpandableHosts(plan: RelabelPlan, targets: Readonly<Record<string, string | undefined>>): void {
  const problems = new RelabelProblems();
  for (const step of plan.expand.filter((s) => s.backend !== 'ovs')) {
    const target = targets[step.hostId];
    if (target !== undefined && LINUX_EXPAND_TARGETS.includes(target)) continue;
    const why =
      target === undefined
        ? 'uses Linux bridges and has no hostnet run that detected its target, so hostnet cannot tell whether it renders its expand layout'
        : `uses Linux bridges on target ${target}, whose expand layout (the new bridge linked to the old by a veth pair) hostnet does not render yet (it does on ${LINUX_EXPAND_TARGETS.join(', ')})`;
    const fix =
      target === undefined
        ? 'configure the host with hostnet first (POST /hosts/:id/configure), or give its cluster\'s hosts the new bridge by hand, then leave the cluster out of "scope" with outOfScope "leave-behind"'
        : 'give its cluster\'s hosts the new bridge by hand in a maintenance window, then leave the cluster out of "scope" with outOfScope "leave-behind" (the label is zone-wide)';
    problems.add('scope', step.hostName, why, fix);
  }
  problems.throwIfAny();
}
