import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveLink, LiveState } from '@hostnet/intent/domain/live-state';

/**
 * NICs hostnet's last run configured (its expected state names them) that the intent no longer names:
 * a bond's member the profile dropped, the second NIC of a bond that became a single NIC. Their config
 * files are hostnet's and go with the run (left behind, an EL ifcfg with MASTER= would re-create the
 * bond at the next boot); where hostnet enslaved one, it is released from that master. A relabel's link
 * ends are NICs to the expected state too (a veth end has its peer; a patch port is an OVS patch
 * interface live): they retire with their pair.
 */
export function droppedNics(intent: HostNetworkIntent, previous: LiveState | undefined, live: LiveState): LiveLink[] {
  const named = new Set(intent.nics.map((n) => n.name));
  const patches = new Set(live.links.filter((l) => l.ovsInterface?.type === 'patch').map((l) => l.name));
  return (previous?.links ?? []).filter((l) => l.kind === 'nic' && l.peer === undefined && !patches.has(l.name) && !named.has(l.name));
}
