import { createHash } from 'node:crypto';
import { MAX_INTERFACE_NAME_LENGTH } from '../validation/interface-name.validator';

/**
 * Deterministic names for the ends of a relabel link, each named after the bridge it leads to so
 * `ovs-vsctl show` / `ip link` read as "this port goes to cloudbr9". A name that would pass 15
 * characters keeps a prefix of the bridge name plus 4 hex digits of its sha256 (still unique per bridge).
 */
function toward(prefix: string, bridge: string): string {
  const full = `${prefix}${bridge}`;
  if (full.length <= MAX_INTERFACE_NAME_LENGTH) return full;
  const digest = createHash('sha256').update(bridge).digest('hex').slice(0, 4);
  return `${prefix}${bridge.slice(0, MAX_INTERFACE_NAME_LENGTH - prefix.length - 5)}-${digest}`;
}

/** OVS patch port in one bridge whose peer sits in `peerBridge`: `pt-cloudbr9`. */
export function patchPortName(peerBridge: string): string {
  return toward('pt-', peerBridge);
}

/**
 * The veth end in the OLD bridge (leads to NEW). It must match the agent's pif patterns (`^eth`): on a
 * reconnect before the flip CheckNetworkCommand looks for a pif in OLD, whose uplink has moved to NEW.
 */
export function vethOldEndName(newBridge: string): string {
  return toward('ethl-', newBridge);
}

/** The veth end in the NEW bridge (leads to OLD). It must not match the pif patterns, so the agent's pif of NEW is the uplink. */
export function vethNewEndName(oldBridge: string): string {
  return toward('lnk-', oldBridge);
}
