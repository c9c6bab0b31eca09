import type { HostNetworkIntent } from '../domain/host-network-intent';
import type { ViolationList } from './intent-violation';

/** What a device runs at when the intent leaves its MTU unset (the kernel's and OVS's default). */
export const DEFAULT_MTU = 1500;

function mtuOf(intent: HostNetworkIntent, name: string): number {
  const dev = [...intent.nics, ...intent.bonds, ...intent.vlans].find((d) => d.name === name);
  return dev?.mtu ?? DEFAULT_MTU;
}

/** What an OVS fake bridge's frames leave by: its parent's uplink (the parent's own MTU when it has none). */
function fakeParentMtu(intent: HostNetworkIntent, parentName: string | undefined): { mtu: number; via: string } | null {
  const parent = intent.bridges.find((b) => b.name === parentName);
  if (!parent) return null;
  if (parent.uplink !== undefined) return { mtu: mtuOf(intent, parent.uplink), via: `${parent.name}'s uplink ${parent.uplink}` };
  return { mtu: parent.mtu ?? DEFAULT_MTU, via: parent.name };
}

/**
 * The one MTU rule, for both backends: nothing may be larger than the device its frames leave by
 * (a bond's members, a VLAN's parent, a bridge's uplink, an OVS fake bridge's parent's uplink), or
 * jumbo frames are dropped on the wire. A linux bridge takes its MTU from its ports and ifupdown2
 * refuses an `mtu` on a bridge, so there a bridge MTU, when set, must equal its uplink's (renderers
 * may then leave it out).
 */
export function checkMtus(intent: HostNetworkIntent, errors: ViolationList): void {
  // a member's own MTU other than its bond's: the Linux kernel holds members at the bond's (a member's own is
  // written, never run, nor verified); on OVS the bond's members would carry its frames at different MTUs
  intent.bonds.forEach((bond) => {
    const bondMtu = bond.mtu ?? DEFAULT_MTU;
    intent.nics.forEach((nic, n) => {
      if (!bond.members.includes(nic.name) || nic.mtu === undefined || nic.mtu === bondMtu) return;
      errors.add(
        `nics[${n}].mtu`,
        nic.mtu,
        `differs from the MTU ${bondMtu} of its bond ${bond.name}${bond.mtu === undefined ? ' (none set)' : ''}, but a bond's members run at the bond's MTU`,
        `set the MTU on the bond (the mtu of the network it carries) or drop this one`,
      );
    });
  });
  intent.vlans.forEach((vlan, i) => {
    if ((vlan.mtu ?? DEFAULT_MTU) > mtuOf(intent, vlan.parent)) errors.add(`vlans[${i}].mtu`, vlan.mtu, `exceeds the MTU of its parent ${vlan.parent}`, 'raise the parent\'s MTU or lower this one');
  });
  intent.bridges.forEach((bridge, i) => {
    if (bridge.parent !== undefined) {
      const parent = fakeParentMtu(intent, bridge.parent);
      if (parent && (bridge.mtu ?? DEFAULT_MTU) > parent.mtu) errors.add(`bridges[${i}].mtu`, bridge.mtu, `exceeds the MTU ${parent.mtu} of ${parent.via}, which carries this fake bridge's VLAN`, 'raise the uplink\'s MTU (the network\'s mtu) or lower this one');
      return;
    }
    if (bridge.uplink === undefined) return;
    const uplinkMtu = mtuOf(intent, bridge.uplink);
    if ((bridge.mtu ?? DEFAULT_MTU) > uplinkMtu) {
      errors.add(`bridges[${i}].mtu`, bridge.mtu, `exceeds the MTU of its uplink ${bridge.uplink}`, 'raise the uplink\'s MTU or lower this one');
    } else if (intent.backend === 'linux' && bridge.mtu !== undefined && bridge.mtu !== uplinkMtu) {
      errors.add(`bridges[${i}].mtu`, bridge.mtu, `differs from the MTU ${uplinkMtu} of its uplink ${bridge.uplink}, but a linux bridge takes the MTU of its ports`, 'set the MTU on the uplink (NIC, bond or VLAN) and give the bridge the same or none');
    }
  });
}
