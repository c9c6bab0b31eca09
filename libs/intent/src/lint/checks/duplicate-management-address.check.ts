import type { LintContext } from '../lint-context';
import { groupBy, hostList, locate, podOfAll } from '../lint-context';
import type { LintFinding } from '../zone-lint.types';

/** Two hosts CloudStack knows by one management address: both would configure the same IP. */
export function checkDuplicateManagementAddresses(ctx: LintContext): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const [address, hosts] of groupBy(ctx.topology.hosts, (h) => h.ipAddress)) {
    if (hosts.length < 2) continue;
    findings.push({
      severity: 'error',
      code: 'duplicate-management-address',
      where: locate(ctx.topology, { podId: podOfAll(hosts), hosts }),
      message: `management address ${address} belongs to ${hosts.length} hosts (${hostList(hosts)}); each would put it on its management bridge; fix: give every host its own management address in CloudStack (remove and re-add the wrong host with its real address)`,
      hostIds: hosts.map((h) => h.id),
    });
  }
  return findings;
}
