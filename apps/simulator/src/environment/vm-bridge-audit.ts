import type { VmPlacement } from '../cloudstack';
import type { LiveHistoryEntry } from '../kvm-host';

type Event = { at: number; vms: Record<string, number> } | { at: number; links: string[] };

/**
 * Where one host's running VMs had a NIC on a bridge the host did not have, from `since` on: both
 * timelines (CloudStack's VM placements, the host's live states) are replayed in time order and checked
 * after every instant either changed. One line per gap: host, bridge, VMs, when it began.
 */
export function vmBridgeGaps(hostName: string, placements: VmPlacement[], history: LiveHistoryEntry[], since: Date): string[] {
  const events: Event[] = [
    ...placements.map((p) => ({ at: p.at.getTime(), vms: p.bridges })),
    ...history.map((h) => ({ at: h.at, links: h.links })),
  ].sort((a, b) => a.at - b.at);
  let vms: Record<string, number> = {};
  let links = new Set<string>();
  const open = new Set<string>();
  const gaps: string[] = [];
  const check = (at: number) => {
    for (const [bridge, count] of Object.entries(vms)) {
      const missing = count > 0 && !links.has(bridge);
      if (missing && !open.has(bridge)) gaps.push(`${hostName}: ${count} VM(s) on ${bridge} while the host had no ${bridge} (from ${new Date(at).toISOString()})`);
      if (missing) open.add(bridge);
      else open.delete(bridge);
    }
    for (const bridge of open) if (!vms[bridge]) open.delete(bridge);
  };
  let i = 0;
  while (i < events.length && events[i]!.at <= since.getTime()) apply(events[i++]!);
  check(since.getTime());
  while (i < events.length) {
    const at = events[i]!.at;
    // Changes at the same millisecond are one instant: their order within it is not known.
    while (i < events.length && events[i]!.at === at) apply(events[i++]!);
    check(at);
  }
  return gaps;

  function apply(event: Event): void {
    if ('vms' in event) vms = event.vms;
    else links = new Set(event.links);
  }
}
