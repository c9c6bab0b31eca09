import type { BondIntent, HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveOvsPort } from '@hostnet/intent/domain/live-state';
import { ovsVlanLimits } from '@hostnet/intent/live/ovs-vlan-limits';
import { ovsBondSettings } from '../format/bond-options';
import { bondsOf, directNicsOf, linkPorts, realBridges } from '../format/intent-lookups';
import { ifExists, type OvsCommand, restoreColumn, restoreKey, vlanWords } from './ovs-commands';
import { isForeignName, type LiveOvsPortRow, type OvsLiveModel } from './ovs-live-model';

/** A port the intent wants: a bond (with its settings) or a NIC as a bridge's direct uplink. */
export interface WantedPort {
  name: string;
  bridge: string;
  ifaces: string[];
  bond?: BondIntent;
  /** A patch port (a relabel's link between two bridges) and the name of its peer. */
  patchPeer?: string;
}

/** Which live ports go, which wanted ports are created, which bonds only need their settings converged. */
export interface PortPlan {
  removed: LiveOvsPortRow[];
  created: WantedPort[];
  /** Kept ports whose settings change in place: a bond's (mode, LACP, its keys) and any port's VLAN columns. */
  converge: { name: string; bond?: BondIntent; forward: OvsCommand[]; undo: OvsCommand[] }[];
}

/** The OVS bond keys hostnet owns; any other other_config key on a bond is left as it is. */
const OWNED_BOND_KEYS = ['lacp-time', 'bond-detect-mode', 'bond-miimon-interval'];

export function wantedPorts(intent: HostNetworkIntent): WantedPort[] {
  const uplinks = realBridges(intent).flatMap((bridge) => [
    ...bondsOf(intent, bridge.name).map((bond) => ({ name: bond.name, bridge: bridge.name, ifaces: [...bond.members].sort(), bond })),
    ...directNicsOf(intent, bridge.name).map((nic) => ({ name: nic.name, bridge: bridge.name, ifaces: [nic.name] })),
  ]);
  const patches = linkPorts(intent).map((p) => ({ name: p.name, bridge: p.bridge, ifaces: [p.name], patchPeer: p.peer }));
  return [...uplinks, ...patches];
}

/** A live port is the wanted patch port when its Interface is a patch to the same peer (as far as facts read them). */
function samePatch(model: OvsLiveModel, want: WantedPort): boolean {
  const iface = model.ifaces.get(want.name);
  if (!iface) return true;
  return iface.type === 'patch' && (iface.options === undefined || iface.options.peer === want.patchPeer);
}

/** Exactly the Port settings a fresh `add-bond … -- set port` gives the bond. */
function bondTarget(bond: BondIntent): { bondMode: string; lacp?: string; keys: Record<string, string | undefined> } {
  const keys: Record<string, string | undefined> = Object.fromEntries(OWNED_BOND_KEYS.map((k) => [k, undefined]));
  for (const word of ovsBondSettings(bond)) {
    const m = /^other_config:([^=]+)=(.*)$/.exec(word);
    if (m) keys[m[1]] = m[2];
  }
  return { bondMode: bond.mode, ...(bond.lacp ? { lacp: bond.lacp } : {}), keys };
}

/** Converge a kept bond's settings to the intent's, and the commands that put the recorded ones back. */
function convergeBond(bond: BondIntent, live: LiveOvsPort, forward: OvsCommand[], undo: OvsCommand[]): void {
  const want = bondTarget(bond);
  if (live.bondMode !== want.bondMode) {
    forward.push(restoreColumn('port', bond.name, 'bond_mode', want.bondMode));
    undo.push(ifExists(restoreColumn('port', bond.name, 'bond_mode', live.bondMode)));
  }
  if (live.lacp !== want.lacp) {
    forward.push(restoreColumn('port', bond.name, 'lacp', want.lacp));
    undo.push(ifExists(restoreColumn('port', bond.name, 'lacp', live.lacp)));
  }
  for (const [key, value] of Object.entries(want.keys)) {
    if (live.otherConfig[key] === value) continue;
    forward.push(restoreKey('port', bond.name, key, value));
    undo.push(ifExists(restoreKey('port', bond.name, key, live.otherConfig[key])));
  }
}

/**
 * An uplink carries every VLAN (ovsVlanLimits): the columns that limit it are cleared in place (the port
 * and its other columns stay, a bond keeps its LACP), and set back by the undo.
 */
function convergeVlans(name: string, live: LiveOvsPort, forward: OvsCommand[], undo: OvsCommand[]): void {
  const limited = new Set(ovsVlanLimits(live).map((limit) => limit.column));
  if (limited.size === 0) return;
  for (const column of limited) forward.push(['clear', 'port', name, column]);
  const words = vlanWords(`live OVS port ${name}`, live).filter(([column]) => limited.has(column));
  undo.push(ifExists(['set', 'port', name, ...words.map(([, word]) => word)]));
}

function samePort(live: LiveOvsPortRow, want: WantedPort): boolean {
  return live.bridge === want.bridge && live.ifaces.join(' ') === want.ifaces.join(' ');
}

/**
 * Decides the fate of every OVS port. A live port goes when it is not what the intent wants and it
 * carries a name the intent uses, holds a NIC the intent places, or was hostnet's in its last run;
 * ports on the agent's bridges and VM taps are never touched. Wanted ports that do not match are created.
 */
export function planPorts(intent: HostNetworkIntent, model: OvsLiveModel): PortPlan {
  const wanted = wantedPorts(intent);
  const byName = new Map(wanted.map((w) => [w.name, w]));
  const placed = new Set(wanted.flatMap((w) => w.ifaces));
  const plan: PortPlan = { removed: [], created: [], converge: [] };
  const kept = new Set<string>();
  for (const port of model.ports.values()) {
    if (isForeignName(port.name) || isForeignName(port.bridge)) continue;
    const want = byName.get(port.name);
    if (want && samePort(port, want) && (want.patchPeer === undefined || samePatch(model, want))) {
      kept.add(port.name);
      const forward: OvsCommand[] = [];
      const undo: OvsCommand[] = [];
      if (want.bond && port.settings) convergeBond(want.bond, port.settings, forward, undo);
      if (port.settings) convergeVlans(port.name, port.settings, forward, undo);
      if (forward.length > 0) plan.converge.push({ name: port.name, ...(want.bond ? { bond: want.bond } : {}), forward, undo });
    } else if (want || port.ifaces.some((i) => placed.has(i)) || model.hostnetNames.has(port.name)) {
      plan.removed.push(port);
    }
  }
  plan.created = wanted.filter((w) => !kept.has(w.name));
  return plan;
}
