import { isRedisOutage, RedisOutageAfterEffectError } from '@hostnet/platform';

/** What a batch trigger needs of each host's answer. */
export interface BatchedTrigger {
  hostId: string;
  runId?: string;
}

/**
 * Triggers `hosts` `size` at a time. A Redis outage part-way through is answered with what is known: the hosts
 * already queued (or joined) will run, and a host whose add() lost its reply may; "queued nothing" would be false.
 */
export async function triggerInBatches<H extends { id: string }, R extends BatchedTrigger>(hosts: readonly H[], size: number, trigger: (host: H) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < hosts.length; i += size) {
    const batch = hosts.slice(i, i + size);
    const settled = await Promise.allSettled(batch.map((host) => trigger(host)));
    results.push(...settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : [])));
    const refused = settled.flatMap((s, j) => (s.status === 'rejected' ? [{ hostId: batch[j]!.id, reason: s.reason as unknown }] : []));
    if (refused.length === 0) continue;
    const outage = refused.find((r) => isRedisOutage(r.reason));
    if (!outage) throw refused[0]!.reason;
    const running = results.filter((r) => r.runId);
    const maybe = refused.filter((r) => r.reason instanceof RedisOutageAfterEffectError).map((r) => r.hostId);
    if (running.length === 0 && maybe.length === 0) throw outage.reason;
    const known = [
      `queued or joined a run of ${running.length} of ${hosts.length} hosts before Redis went away (${running.map((r) => r.hostId).join(', ') || 'none'}): those runs go on`,
      ...(maybe.length ? [`${maybe.length} may have been queued (${maybe.join(', ')})`] : []),
      'the others were not queued; GET /hosts once Redis is back shows which host runs',
    ].join('; ');
    throw new RedisOutageAfterEffectError(known, outage.reason);
  }
  return results;
}
