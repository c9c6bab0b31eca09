import type { LintContext } from '../lint-context';
import { groupBy, locate } from '../lint-context';
import type { LintFinding } from '../zone-lint.types';

/** Hosts whose intent cannot be built: each distinct violation once, with the hosts it hits. */
export function checkHostIntents(ctx: LintContext): LintFinding[] {
  const hits = ctx.unbuilt.flatMap(({ host, violations }) => violations.map((v) => ({ host, message: v.message })));
  return [...groupBy(hits, (h) => h.message).values()].map((group) => {
    const hosts = [...new Map(group.map((g) => [g.host.id, g.host])).values()];
    const podIds = new Set(hosts.map((h) => h.podId));
    return {
      severity: 'error' as const,
      code: 'host-intent-invalid' as const,
      where: locate(ctx.topology, { podId: podIds.size === 1 ? hosts[0].podId : undefined, hosts }),
      message: group[0].message,
      hostIds: hosts.map((h) => h.id),
    };
  });
}
