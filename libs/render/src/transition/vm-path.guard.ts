import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveLink, LiveState } from '@hostnet/intent/domain/live-state';
import { VmPathCutError } from '../domain/render-errors';
import { isForeignName } from './ovs-live-model';

/** What a transition takes out of the live state: links leaving their master, and devices it deletes. */
export interface TransitionLosses {
  moved: readonly string[];
  deleted: readonly string[];
  /** Links the run makes members of a bond, with that bond: the bond takes over what they carry. */
  bonded?: ReadonlyMap<string, string>;
}

const BRIDGE_KINDS = new Set(['bridge', 'ovs-bridge', 'ovs-fake-bridge']);

/**
 * Everything that stops carrying traffic, followed until nothing more goes: what moves or is deleted; a
 * bond or team all of whose members go and that the intent does not keep (one it keeps is refilled by
 * activation); the VLAN interfaces of a device that is deleted or emptied that way (the kernel deletes
 * them with it: the agent's bond1.200 under brbond1-200 goes with bond1); and those of a device that becomes
 * a bond member (the agent's eth2.200 when eth2 goes into bond1): the switch then sends that VLAN down the
 * bond, whose other members and fail-overs never reach eth2.200, and the agent, once it sees bond1 as the
 * pif, makes bond1.200 for the same VLAN. A device that only changes bridge keeps its VLANs (the kernel serves
 * VLAN devices before the bridge's handler; a relabel's expand relies on it, docs/relabel.md §2).
 */
function goneLinks(intent: HostNetworkIntent, live: LiveState, losses: TransitionLosses): Set<string> {
  const gone = new Set([...losses.moved, ...losses.deleted]);
  const bonded = losses.bonded ?? new Map<string, string>();
  const dead = new Set(losses.deleted);
  const kept = new Set(intent.bonds.map((b) => b.name));
  const membersOf = (name: string) => live.links.filter((l) => l.master === name).map((l) => l.name);
  for (let changed = true; changed; ) {
    changed = false;
    for (const l of live.links) {
      if (dead.has(l.name)) continue;
      const members = new Set([...(l.members ?? []), ...membersOf(l.name)]);
      const emptied = !BRIDGE_KINDS.has(l.kind) && !kept.has(l.name) && members.size > 0 && [...members].every((m) => gone.has(m));
      const orphaned = l.kind === 'vlan' && l.parent !== undefined && (dead.has(l.parent) || bonded.has(l.parent));
      if (emptied || orphaned) {
        gone.add(l.name);
        dead.add(l.name);
        changed = true;
      }
    }
  }
  return gone;
}

/**
 * Refuses a transition that would leave VM taps (or the agent's ports) on a bridge with no way out: what
 * connected the bridge goes (moved, deleted, its bond emptied, its VLAN interface deleted with the device
 * under it), the intent does not name the bridge, and no other port stays on it (a relabel's veth or patch
 * pair kept while the bridge is occupied is one). Outside maintenance that cuts running VMs off. An OVS
 * fake bridge's ports ride on its parent, so they count for the parent.
 */
export function refuseCuttingOffVms(intent: HostNetworkIntent, live: LiveState, losses: TransitionLosses): void {
  if (!live.links.some((l) => isForeignName(l.name))) return; // no VM tap or agent port anywhere: nothing to cut off
  const gone = goneLinks(intent, live, losses);
  const bonded = losses.bonded ?? new Map<string, string>();
  const byName = new Map(live.links.map((l) => [l.name, l]));
  const bridgeOf = (l: LiveLink): string | undefined => {
    const master = l.master === undefined ? undefined : byName.get(l.master);
    if (!master || !BRIDGE_KINDS.has(master.kind)) return undefined;
    return master.kind === 'ovs-fake-bridge' && master.parent !== undefined ? master.parent : master.name;
  };
  const intended = new Set(intent.bridges.map((b) => b.name));
  const affected = new Set(live.links.filter((l) => gone.has(l.name)).map(bridgeOf).filter((b): b is string => b !== undefined && !intended.has(b)));
  for (const bridge of affected) {
    const ports = live.links.filter((l) => !BRIDGE_KINDS.has(l.kind) && bridgeOf(l) === bridge);
    const staying = ports.filter((l) => !gone.has(l.name));
    const occupants = staying.filter((l) => isForeignName(l.name)).map((l) => l.name);
    if (occupants.length > 0 && staying.every((l) => isForeignName(l.name))) {
      const lost = ports.filter((l) => gone.has(l.name));
      const why = lost.flatMap((l) => (l.kind === 'vlan' && l.parent !== undefined && bonded.has(l.parent) ? [`${l.name} sits on ${l.parent}, which this run makes a member of ${bonded.get(l.parent)}`] : []));
      throw new VmPathCutError(bridge, occupants.sort(), lost.map((l) => l.name).sort(), why);
    }
  }
}
