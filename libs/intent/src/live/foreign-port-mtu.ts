import type { LiveState } from '../domain/live-state';
import { DEFAULT_MTU } from '../validation/mtu.validator';

/**
 * A Linux bridge runs at the smallest MTU of its ports, VM taps and the agent's ports included, and an EL7
 * kernel refuses a bridge MTU above it (a VM started before a profile raised the MTU keeps its tap at 1500 until
 * it restarts). So a bridge held to its uplink's MTU (intendedMtus) that has a port the expected state does not
 * name below that MTU is held to anything from that port's MTU up to its own: found in that range it is as
 * expected, below it it is raised to the port's MTU, never above. Those ports are never changed or held: they
 * are not hostnet's. Pure.
 */
export function heldToForeignPorts(expected: LiveState, live: LiveState): LiveState {
  const named = new Set(expected.links.map((l) => l.name));
  const floor = new Map<string, number>();
  for (const port of live.links) {
    if (port.master === undefined || named.has(port.name)) continue;
    floor.set(port.master, Math.min(floor.get(port.master) ?? Infinity, port.mtu ?? DEFAULT_MTU));
  }
  if (floor.size === 0) return expected;
  const running = new Map(live.links.map((l) => [l.name, l.mtu ?? DEFAULT_MTU]));
  const held = (name: string, target: number): number => {
    const low = floor.get(name) ?? Infinity;
    if (low >= target) return target;
    const now = running.get(name) ?? target;
    return now >= low && now <= target ? now : Math.min(Math.max(now, low), target);
  };
  return { ...expected, links: expected.links.map((l) => (l.kind === 'bridge' && l.mtu !== undefined ? { ...l, mtu: held(l.name, l.mtu) } : l)) };
}
