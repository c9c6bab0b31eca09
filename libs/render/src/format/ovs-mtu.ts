import type { BondIntent, BridgeIntent, HostNetworkIntent, NicIntent } from '@hostnet/intent/domain/host-network-intent';

/**
 * OVS takes an interface's MTU from its Interface row (`mtu_request`), internal ports included:
 * without it ovs-vswitchd may reset a bridge's own port to the smallest MTU of the bridge's ports,
 * whatever `ip link` set. A bond is a Port, so its MTU is its member Interfaces'.
 */
function request(name: string, mtu: number | undefined): string[][] {
  return mtu === undefined ? [] : [['set', 'interface', name, `mtu_request=${mtu}`]];
}

/** `ovs-vsctl` commands setting the MTU of a bridge's own (internal) port. */
export function bridgeMtuRequest(bridge: BridgeIntent): string[][] {
  return request(bridge.name, bridge.mtu);
}

/** `ovs-vsctl` commands setting the MTU of a NIC that is a port of its own. */
export function nicMtuRequest(nic: NicIntent): string[][] {
  return request(nic.name, nic.mtu);
}

/** `ovs-vsctl` commands setting a bond's MTU on each member (a member's own MTU, else the bond's). */
export function bondMtuRequest(intent: HostNetworkIntent, bond: BondIntent): string[][] {
  return bond.members.flatMap((m) => request(m, intent.nics.find((n) => n.name === m)?.mtu ?? bond.mtu));
}

/** Several ovs-vsctl commands as one OVS_EXTRA / ovs_extra value (the hooks append it after `--`). */
export function ovsExtraValue(commands: string[][]): string | undefined {
  return commands.length === 0 ? undefined : commands.map((c) => c.join(' ')).join(' -- ');
}
