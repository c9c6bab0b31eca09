import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { OvsLiveModel } from './ovs-live-model';
import type { PortPlan } from './ovs-port-plan';

/**
 * Keeps the patch pairs a plan would remove while one end's bridge stays occupied: a bridge the intent no
 * longer names that still holds VM taps (or other ports hostnet does not manage) is not retired, and its
 * patch pair is its only path to the uplink (docs/relabel.md §2: the old bridge and its link stay until
 * the bridge is empty). A pair the intent re-creates under the same name is left to the plan.
 */
export function keepOccupiedLinks(intent: HostNetworkIntent, model: OvsLiveModel, ports: PortPlan): PortPlan {
  const wantedBridges = new Set(intent.bridges.map((b) => b.name));
  const recreated = new Set(ports.created.map((p) => p.name));
  const removed = new Set(ports.removed.map((p) => p.name));
  // a fake bridge's ports (the agent's VLAN bridges and their VM taps) ride on its parent
  const on = (port: { bridge: string }, bridge: string) => port.bridge === bridge || model.fakeBridges.get(port.bridge)?.parent === bridge;
  const occupied = (bridge: string) => !wantedBridges.has(bridge) && [...model.ports.values()].some((p) => on(p, bridge) && !removed.has(p.name));
  const kept = new Set<string>();
  for (const port of ports.removed) {
    const iface = model.ifaces.get(port.name);
    const peer = iface?.type === 'patch' && iface.options?.peer ? model.ports.get(iface.options.peer) : undefined;
    if (!peer || recreated.has(port.name) || recreated.has(peer.name)) continue;
    if (occupied(port.bridge) || occupied(peer.bridge)) kept.add(port.name).add(peer.name);
  }
  return kept.size === 0 ? ports : { ...ports, removed: ports.removed.filter((p) => !kept.has(p.name)) };
}
