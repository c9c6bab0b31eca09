import { DEFAULT_MTU } from '@hostnet/intent';
import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveState } from '@hostnet/intent/domain/live-state';
import { expectedLiveState } from '@hostnet/intent/live/expected-live-state';
import { heldToForeignPorts } from '@hostnet/intent/live/foreign-port-mtu';
import type { ApplyStep } from '../domain/rendered-config';
import { setBridgeMtu, setMtu } from './linux-link-steps';

/**
 * How far a device sits from the wire: a bond first (its MTU is its members', which follow it), its members,
 * the other NICs, then VLAN interfaces (never above their parent's MTU) and bridges (which follow their ports).
 */
function depth(intent: HostNetworkIntent, name: string): number {
  if (intent.bonds.some((b) => b.name === name)) return 0;
  const nic = intent.nics.find((n) => n.name === name);
  if (nic) return nic.bond !== undefined ? 1 : 2;
  return intent.vlans.some((v) => v.name === name) ? 3 : 4;
}

/**
 * Linux bridge: the links of the intent that run now at another MTU than it holds them to (intendedMtus),
 * each set to it. No activation does this when the files are unchanged (an MTU lowered by hand), and not
 * every one sets an MTU on a device that already runs. Lowered ones first, children before parents (a VLAN
 * before its parent), then raised ones, parents first: a VLAN's MTU cannot exceed its parent's. Devices the
 * run creates get theirs from their files. Run after the activation, which may set them already.
 */
export function mtuSteps(intent: HostNetworkIntent, live: LiveState, expected: LiveState = expectedLiveState(intent)): ApplyStep[] {
  const running = new Map(live.links.map((l) => [l.name, l.mtu ?? DEFAULT_MTU]));
  // a bridge with a VM's tap below its uplink's MTU is held to the tap's (heldToForeignPorts): never above it
  const held = heldToForeignPorts(expected, live).links.flatMap((l) => (l.mtu === undefined ? [] : [[l.name, l.mtu] as const]));
  const changes = held
    .filter(([name, mtu]) => running.has(name) && running.get(name) !== mtu)
    .map(([name, mtu]) => ({ name, mtu, depth: depth(intent, name), raise: mtu > running.get(name)! }));
  const lowered = changes.filter((c) => !c.raise).sort((a, b) => b.depth - a.depth);
  const raised = changes.filter((c) => c.raise).sort((a, b) => a.depth - b.depth);
  return [...lowered, ...raised].map((c) => (c.depth === 4 ? setBridgeMtu(c.name, c.mtu) : setMtu(c.name, c.mtu)));
}
