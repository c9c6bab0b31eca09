import type { LintContext } from '../lint-context';
import { groupBy, locate, podOfAll } from '../lint-context';
import type { LintFinding } from '../zone-lint.types';

/**
 * One address on bridges of two hosts (a storage address copied from another host's entry, a management
 * address given to another host's storage bridge): both hosts would answer for it. Management addresses
 * CloudStack gives two hosts are duplicate-management-address's finding, not repeated here.
 */
export function checkDuplicateHostAddresses(ctx: LintContext): LintFinding[] {
  const uses = ctx.built.flatMap(({ host, intent }) =>
    // cloud0's 169.254.0.1 is every OVS host's own, by design: host-local, never on a shared segment
    intent.bridges.filter((b) => b.address !== undefined && b.role !== 'link-local').map((b) => ({ host, bridge: b.name, address: b.address!.address })),
  );
  const findings: LintFinding[] = [];
  for (const [address, sharing] of groupBy(uses, (u) => u.address)) {
    const hosts = [...new Map(sharing.map((u) => [u.host.id, u.host])).values()];
    if (hosts.length < 2 || sharing.every((u) => u.host.ipAddress === address)) continue;
    findings.push({
      severity: 'error',
      code: 'duplicate-host-address',
      where: locate(ctx.topology, { podId: podOfAll(hosts), hosts }),
      message: `address ${address} is on ${sharing.map((u) => `${u.host.name}'s ${u.bridge}`).join(' and ')}; ${hosts.length === 2 ? 'both hosts' : `all ${hosts.length} hosts`} would answer for it; fix: give each host its own address in the profile's hosts: entries (storageAddress, addresses)`,
      hostIds: hosts.map((h) => h.id),
    });
  }
  return findings;
}

