import type { HostNetworkIntent } from '../domain/host-network-intent';
import type { ViolationList } from './intent-violation';

/** What a device runs at when the intent leaves its MTU unset (the kernel's and OVS's default). */
export const DEFAULT_MTU = 1500;

function mtuOf(intent: HostNetworkIntent, name: string): number {
  const dev = [...intent.nics, ...intent.bonds, ...intent.vlans].find((d) => d.name === name);
  return dev?.mtu ?? DEFAULT_MTU;
}

/**
 * The one MTU rule, for both backends: nothing may be larger than the device its frames leave by
 * (a VLAN's parent, a bridge's uplink, an OVS fake bridge's parent's uplink), or jumbo frames are
 * dropped on the wire. A linux bridge takes its MTU from its ports and ifupdown2 refuses an `mtu` on
 * a bridge, so there a bridge MTU, when set, must equal its uplink's (renderers may then leave it out).
 */
export function checkMtus(intent: HostNetworkIntent, errors: ViolationList): void {
  intent.vlans.forEach((vlan, i) => {
    if ((vlan.mtu ?? DEFAULT_MTU) > mtuOf(intent, vlan.parent)) errors.add(`vlans[${i}].mtu`, vlan.mtu, `exceeds the MTU of its parent ${vlan.parent}`, 'raise the parent\'s MTU or lower this one');
  });
  intent.bridges.forEach((bridge, i) => {
    if (bridge.uplink === undefined) return;
    const uplinkMtu = mtuOf(intent, bridge.uplink);
    if ((bridge.mtu ?? DEFAULT_MTU) > uplinkMtu) {
      errors.add(`bridges[${i}].mtu`, bridge.mtu, `exceeds the MTU of its uplink ${bridge.uplink}`, 'raise the uplink\'s MTU or lower this one');
    } else if (intent.backend === 'linux' && bridge.mtu !== undefined && bridge.mtu !== uplinkMtu) {
      errors.add(`bridges[${i}].mtu`, bridge.mtu, `differs from the MTU ${uplinkMtu} of its uplink ${bridge.uplink}, but a linux bridge takes the MTU of its ports`, 'set the MTU on the uplink (NIC, bond or VLAN) and give the bridge the same or none');
    }
  });
}
