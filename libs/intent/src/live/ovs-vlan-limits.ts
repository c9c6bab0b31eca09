import type { LiveOvsPort } from '../domain/live-state';

/** An OVS Port column that keeps the port from carrying every VLAN, with its value. */
export type OvsVlanLimit = { column: 'tag'; value: number } | { column: 'trunks'; value: number[] } | { column: 'vlan_mode'; value: string };

/**
 * What keeps an OVS uplink from carrying every VLAN: a tag, a trunks list, a vlan_mode other than trunk
 * (none: it carries them all). CloudStack tags guest and VLAN traffic on the bridge above its uplink, with
 * VLANs that come and go with its networks, so the live diff names these and the planner clears them.
 */
export function ovsVlanLimits(port: LiveOvsPort): OvsVlanLimit[] {
  return [
    ...(port.tag !== undefined ? [{ column: 'tag' as const, value: port.tag }] : []),
    ...((port.trunks ?? []).length > 0 ? [{ column: 'trunks' as const, value: port.trunks! }] : []),
    ...(port.vlanMode !== undefined && port.vlanMode !== 'trunk' ? [{ column: 'vlan_mode' as const, value: port.vlanMode }] : []),
  ];
}
