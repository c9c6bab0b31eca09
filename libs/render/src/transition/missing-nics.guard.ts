import { compareNatural } from '@hostnet/intent/builder/natural-order';
import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveState } from '@hostnet/intent/domain/live-state';
import { MissingNicError } from '../domain/render-errors';
import { isForeignName } from './ovs-live-model';

/**
 * Refuses an intent naming a NIC the host does not have (a typo in a profile's bond members or uplink):
 * activation could not enslave it, and the run would bounce the bond or bridge for a change verification
 * must then undo. A NIC pinned by MAC (`hwaddr`) may carry another name until it is renamed, so it is
 * left to activation; so is a host whose facts hold no kernel link list (`ip -j`, or an older ip's `ip -o`, missing).
 */
export function refuseMissingNics(intent: HostNetworkIntent, live: LiveState): void {
  // only the kernel's own list (`ip -j link` or `ip -o link`, which give every link its up flag) can say a NIC is absent
  if (!live.links.some((l) => l.up !== undefined)) return;
  const present = new Set(live.links.map((l) => l.name));
  const missing = intent.nics.filter((n) => n.hwaddr === undefined && !present.has(n.name));
  if (missing.length === 0) return;
  const nics = live.links.filter((l) => l.kind === 'nic' && l.ovsInterface?.type !== 'patch' && l.peer === undefined && !isForeignName(l.name)).map((l) => l.name);
  const listed = nics.sort(compareNatural);
  const shown = listed.length > MAX_LISTED ? [...listed.slice(0, MAX_LISTED), `… (${listed.length} in all)`] : listed;
  throw new MissingNicError(missing.map((n) => ({ name: n.name, of: n.bond ?? n.bridge })), shown);
}

/** Enough NICs to spot the right name; a host's whole list could push the fix out of a capped reason. */
const MAX_LISTED = 16;
