import type { KvmHost } from '@hostnet/cloudstack';
import type { RelabelProblems } from './relabel-errors';
import { factsFor } from './agent-bridge-names.check';
import type { RelabelChangeInput, RelabelHostFacts } from './relabel-plan.types';

/**
 * A new bridge named like an interface a host in scope already has (its NIC, bond or VLAN interface: "eth0",
 * "bond1") could never be made: every host's expand would fail and the rollout abort. Refused with the plan,
 * naming the hosts, as a name another label uses is. Reads the changes as given, so `changes[i]` is the
 * operator's i-th change even when an earlier one did not resolve.
 */
export function checkInterfaceNames(changes: readonly RelabelChangeInput[], hosts: readonly KvmHost[], facts: Record<string, RelabelHostFacts> | undefined, problems: RelabelProblems): void {
  if (!Array.isArray(changes)) return;
  changes.forEach((change, i) => {
    if (typeof change?.newLabel !== 'string') return;
    const taken = hosts.filter((h) => factsFor(facts, h).interfaces?.includes(change.newLabel));
    if (taken.length === 0) return;
    const names = taken.slice(0, 5).map((h) => h.name).join(', ') + (taken.length > 5 ? `, … (${taken.length} hosts)` : '');
    problems.add(`changes[${i}].newLabel`, change.newLabel, `is an interface the hosts already have (${names}), so no bridge can take that name`, 'choose a bridge name no NIC, bond or VLAN interface of the hosts uses');
  });
}
