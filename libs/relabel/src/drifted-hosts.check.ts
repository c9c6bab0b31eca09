import type { KvmHost } from '@hostnet/cloudstack';
import type { RelabelProblems } from './relabel-errors';
import { factsFor } from './agent-bridge-names.check';
import type { DriftedHostsPolicy, RelabelHostFacts, RelabelWarning } from './relabel-plan.types';

/**
 * A host in scope whose intent changed beyond the relabel (a profile reloaded, a CloudStack change) and was
 * never applied: the rollout's expand renders the host's whole intent, so that change would go out with it,
 * unreviewed, in a rollout the operator reviewed as a label change. Refused, naming the host and what hostnet
 * knows of the change, unless the request says `drifted: "include"` (CLI --drifted include): then the plan
 * carries a `drifted-hosts` warning and each host's relabel diff shows the change (docs/relabel.md, "Drifted hosts").
 */
export function checkDriftedHosts(
  hosts: readonly KvmHost[],
  facts: Record<string, RelabelHostFacts> | undefined,
  policy: DriftedHostsPolicy | undefined,
  problems: RelabelProblems,
  warnings: RelabelWarning[],
): void {
  if (policy !== undefined && policy !== 'refuse' && policy !== 'include') {
    problems.add('drifted', policy, 'is neither "refuse" nor "include"', 'leave it out (refuse), or write "include"');
    return;
  }
  const drifted = hosts.filter((h) => factsFor(facts, h).drift !== undefined);
  if (drifted.length === 0) return;
  if (policy === 'include') {
    const names = drifted.map((h) => h.name).join(', ');
    warnings.push({
      code: 'drifted-hosts',
      message: `${drifted.length} host(s) in scope (${names}) hold changes beyond this relabel that no run applied yet; the rollout's expand applies them too, as the request asked (drifted "include"); review them in each host's relabel diff`,
      hostIds: drifted.map((h) => h.id),
    });
    return;
  }
  for (const host of drifted) {
    problems.add(
      `hosts.${host.name}`,
      undefined,
      `holds less than its intent now, beyond the relabel (${factsFor(facts, host).drift}): the rollout's expand would apply that too, unreviewed`,
      `review it (hostnet plan --host ${host.name}), then apply it first (hostnet configure --host ${host.name}) or revert it (the profile, then POST /profiles/reload), and plan again; or include it on purpose: drifted "include" (CLI --drifted include)`,
    );
  }
}
