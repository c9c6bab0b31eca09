import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveState } from '@hostnet/intent/domain/live-state';
import { MissingNicError } from '../domain/render-errors';

/**
 * Refuses an intent naming a NIC the host does not have (a typo in a profile's bond members or uplink):
 * activation could not enslave it, and the run would bounce the bond or bridge for a change verification
 * must then undo. A NIC pinned by MAC (`hwaddr`) may carry another name until it is renamed, so it is
 * left to activation; so is a host whose facts read no interface at all.
 */
export function refuseMissingNics(intent: HostNetworkIntent, live: LiveState): void {
  if (live.links.length === 0) return;
  const present = new Set(live.links.map((l) => l.name));
  const missing = intent.nics.filter((n) => n.hwaddr === undefined && !present.has(n.name));
  if (missing.length === 0) return;
  const nics = live.links.filter((l) => l.kind === 'nic').map((l) => l.name).sort();
  throw new MissingNicError(missing.map((n) => ({ name: n.name, of: n.bond ?? n.bridge })), nics);
}
