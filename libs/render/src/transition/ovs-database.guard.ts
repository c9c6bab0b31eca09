import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { RenderTargetId } from '../domain/rendered-config';
import { OvsDatabaseDownError } from '../domain/render-errors';

/** The Open vSwitch service unit of each OVS target's distribution family. */
function ovsUnit(target: RenderTargetId): string {
  return target.startsWith('debian-') || target.startsWith('netplan-') ? 'openvswitch-switch' : 'openvswitch';
}

/**
 * Refuses an OVS run while the host's Open vSwitch database does not answer: every OVS target's steps talk to it
 * (ovs-vsctl, NetworkManager's OVS plugin), so the run would fail at its first step and roll back with only
 * "database connection failed" to go by. Before the live state is trusted too: with OVS down facts see none of its
 * bridges. A Linux-bridge run does not need OVS.
 */
export function refuseOvsDatabaseDown(intent: HostNetworkIntent, target: RenderTargetId, openvswitchDown: boolean | undefined): void {
  if (intent.backend === 'ovs' && openvswitchDown === true) throw new OvsDatabaseDownError(ovsUnit(target));
}
