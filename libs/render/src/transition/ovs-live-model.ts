import type { LiveLink, LiveOvsInterface, LiveOvsPort, LiveState } from '@hostnet/intent/domain/live-state';
import { isReservedInterfaceName, LINK_LOCAL_BRIDGE } from '@hostnet/intent/validation/interface-name.validator';

/** One OVS port as it runs: a bond (several interfaces) or a single interface of the same name. */
export interface LiveOvsPortRow {
  name: string;
  bridge: string;
  ifaces: string[];
  /** Undefined when facts could not read the Port row (settings unknown: treated as matching). */
  settings?: LiveOvsPort;
}

/** The OVS part of a host's live state, indexed for the transition planner. */
export interface OvsLiveModel {
  bridges: Map<string, LiveLink>;
  fakeBridges: Map<string, LiveLink>;
  ports: Map<string, LiveOvsPortRow>;
  ifaces: Map<string, LiveOvsInterface>;
  /** Bridges, bonds and ports the previous hostnet run put on the host (its expected-state.json). */
  hostnetNames: Set<string>;
}

/**
 * Names hostnet never changes, whatever the intent says: the agent's bridges (`brbond0-200`,
 * `br<pif>-<vlan>`, `cloudVirBr*`), libvirt's `virbrN` and VM taps `vnetN`. cloud0 is reserved as a
 * label but is hostnet's own OVS bridge, so it stays manageable.
 */
export function isForeignName(name: string): boolean {
  return name !== LINK_LOCAL_BRIDGE && isReservedInterfaceName(name);
}

export function buildOvsLiveModel(live: LiveState, previous?: LiveState): OvsLiveModel {
  const bridges = new Map(live.links.filter((l) => l.kind === 'ovs-bridge').map((l) => [l.name, l]));
  const fakeBridges = new Map(live.links.filter((l) => l.kind === 'ovs-fake-bridge').map((l) => [l.name, l]));
  const isOvsBridge = (name: string | undefined) => name !== undefined && (bridges.has(name) || fakeBridges.has(name));
  const ports = new Map<string, LiveOvsPortRow>();
  for (const link of live.links) {
    if (!isOvsBridge(link.master) || link.kind === 'ovs-bridge' || link.kind === 'ovs-fake-bridge') continue;
    const ifaces = link.kind === 'ovs-bond' ? [...(link.members ?? [])].sort() : [link.name];
    ports.set(link.name, { name: link.name, bridge: link.master as string, ifaces, ...(link.ovsPort ? { settings: link.ovsPort } : {}) });
  }
  const ifaces = new Map<string, LiveOvsInterface>();
  for (const link of live.links) if (link.ovsInterface) ifaces.set(link.name, link.ovsInterface);
  const hostnetNames = new Set((previous?.links ?? []).filter((l) => l.kind.startsWith('ovs-') || l.master !== undefined).map((l) => l.name));
  return { bridges, fakeBridges, ports, ifaces, hostnetNames };
}
