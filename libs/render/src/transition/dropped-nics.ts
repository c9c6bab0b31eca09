import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveLink, LiveState } from '@hostnet/intent/domain/live-state';

/**
 * NICs hostnet's last run put into a bond or bridge (its expected state says so) that the intent no
 * longer names, and that are still there: a bond's member the profile dropped, the second NIC of a bond
 * that became a single NIC. They are released from that master and their config files, hostnet's, go
 * with the run (left behind, an EL ifcfg with MASTER= would re-create the bond at the next boot). A NIC
 * someone has moved elsewhere since is no longer hostnet's: it is left alone, its file too. A relabel's
 * link ends are NICs to the expected state as well (a veth end has its peer; a patch port is an OVS
 * patch interface live): they retire with their pair.
 */
export function droppedNics(intent: HostNetworkIntent, previous: LiveState | undefined, live: LiveState): LiveLink[] {
  const named = new Set(intent.nics.map((n) => n.name));
  const byName = new Map(live.links.map((l) => [l.name, l]));
  return (previous?.links ?? []).filter((l) => {
    const now = byName.get(l.name);
    return l.kind === 'nic' && l.peer === undefined && !named.has(l.name) && l.master !== undefined && now?.master === l.master && now.ovsInterface?.type !== 'patch';
  });
}
