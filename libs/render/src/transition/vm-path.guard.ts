import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveState } from '@hostnet/intent/domain/live-state';
import { VmPathCutError } from '../domain/render-errors';
import { isForeignName } from './ovs-live-model';

/** A bridge port a transition takes away from its bridge (moved, released or deleted). */
export interface LeavingPort {
  name: string;
  bridge: string;
}

const BRIDGE_KINDS = new Set(['bridge', 'ovs-bridge', 'ovs-fake-bridge']);

/**
 * Refuses a transition that would leave VM taps (or the agent's ports) on a bridge with no way out: the
 * bridge's uplinks leave it, the intent no longer names it, nothing else stays on it that reaches the
 * network, and no link (a relabel's veth or patch pair) joins it to another bridge. Outside maintenance
 * that cuts running VMs off; a bridge hostnet keeps or links, or one only hostnet's ports were on, is fine.
 * An OVS fake bridge's ports ride on its parent's uplink, so they count for the parent.
 */
export function refuseCuttingOffVms(intent: HostNetworkIntent, live: LiveState, leaving: readonly LeavingPort[]): void {
  const intended = new Set(intent.bridges.map((b) => b.name));
  const linked = new Set((intent.links ?? []).flatMap((l) => l.ends.map((e) => e.bridge)));
  const leavingNames = new Set(leaving.map((p) => p.name));
  const childrenOf = (bridge: string) => new Set([bridge, ...live.links.filter((l) => l.kind === 'ovs-fake-bridge' && l.parent === bridge).map((l) => l.name)]);
  for (const bridge of new Set(leaving.map((p) => p.bridge))) {
    if (intended.has(bridge) || linked.has(bridge)) continue;
    const on = childrenOf(bridge);
    const ports = live.links.filter((l) => l.master !== undefined && on.has(l.master) && !BRIDGE_KINDS.has(l.kind));
    const staying = ports.filter((l) => !leavingNames.has(l.name));
    const occupants = staying.filter((l) => isForeignName(l.name)).map((l) => l.name);
    const wayOut = staying.some((l) => !isForeignName(l.name));
    if (occupants.length > 0 && !wayOut) {
      throw new VmPathCutError(bridge, occupants.sort(), leaving.filter((p) => p.bridge === bridge).map((p) => p.name));
    }
  }
}
