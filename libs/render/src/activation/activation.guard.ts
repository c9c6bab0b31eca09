import { expectedLiveState, liveDifferences } from '@hostnet/intent';
import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveState } from '@hostnet/intent/domain/live-state';
import type { ApplyStep, RenderedConfig } from '../domain/rendered-config';
import { NmOvsBridgeReactivationError, OccupiedBridgeDownError, StackedDevicesError } from '../domain/render-errors';
import { managedInterfaceNames } from '../foreign/foreign-configs';
import { refuseFlushingAddressing } from '../transition/lost-addressing.guard';
import { isForeignName } from '../transition/ovs-live-model';
import { ACTIVATION_SNIPPETS as S } from './activation-snippets';
import { nmActivatedProfiles, nmProfiles, nmProfileTree } from './nm-profiles';
import { changedPaths, type PreviousFiles } from './activation-steps';
import { effectiveInterfaces, INTERFACES, stanzas } from './ifupdown-activation';
import { ifcfgName, routeFileRoutes, runSides } from './network-scripts-activation';

const IFDOWN = /^activate-ifdown-/;
/** Snippets that drop an interface's IPv4 addresses (and with them the routes through them) before bringing it up again, or for good. */
const FLUSHING: ReadonlySet<string> = new Set([S.flushThenIfup, S.flushRoutesThenIfup, S.flushRoutes, S.ifdownFlush, S.ifdownForceFlush]);

/** The interfaces the activation takes down with ifdown (each step's last argument is the interface). */
export function ifdownedDevices(steps: readonly ApplyStep[]): string[] {
  return steps.filter((s) => s.phase === 'activate' && IFDOWN.test(s.name)).map((s) => s.argv.at(-1)!);
}

/**
 * The interfaces a whole-network restart the activation kept takes down (hostnet could not narrow it: the
 * host's files were not read, or a changed one was too large to read or is not one the narrower plan
 * understands). network-scripts' `service network restart` runs its `stop`, ifdown of every interface with an
 * ifcfg file in place that is not down, whatever its ONBOOT (initscripts' /etc/init.d/network), then `start`.
 * Classic ifupdown's `networking restart` runs `ifdown -a`: every interface ifupdown brought up, taken here as
 * every stanza of the interfaces file in place or before it (ifupdown brings up `auto` stanzas, and hostnet
 * writes every one auto) that is up. `netplan apply` (it brings configured interfaces up and removes no bridge or
 * bond; what its networkd reconfiguration costs is netplanReconfiguredDevices') and ifupdown2's `ifreload -a`
 * (differential) take nothing down.
 */
export function restartedDevices(config: RenderedConfig, live: LiveState, previousFiles: PreviousFiles = new Map()): string[] {
  const names = new Set<string>();
  if (config.steps.some((s) => s.name === 'network-restart')) {
    for (const path of runSides(config, previousFiles).after.keys()) {
      const name = ifcfgName(path);
      if (name !== undefined) names.add(name);
    }
  }
  if (config.steps.some((s) => s.name === 'networking-restart')) {
    const before = effectiveInterfaces(previousFiles.get(INTERFACES)?.content ?? '', previousFiles) ?? '';
    const after = config.files.find((f) => f.path === INTERFACES)?.content ?? '';
    for (const text of [before, after]) for (const name of stanzas(text).keys()) names.add(name);
  }
  names.delete('lo');
  return live.links.filter((l) => names.has(l.name) && l.up !== false).map((l) => l.name);
}

/** The devices the activation deletes or takes down with ifdown: its own ifdowns and a whole-network restart's. */
export function ifdownedOrRestartedDevices(config: RenderedConfig, live: LiveState, previousFiles?: PreviousFiles): string[] {
  return [...new Set([...ifdownedDevices(config.steps), ...restartedDevices(config, live, previousFiles)])].sort();
}

/**
 * The devices the NetworkManager targets' `nmcli connection up` steps deactivate: `up` of a profile active on its
 * device re-activates it, deactivating first (NetworkManager's Reapply is the way "without deactivating it"),
 * and a controller's ports hostnet configures cycle with it (their profiles are the controller's ports).
 * Deactivation flushes the device's addresses and the routes through them, the profile's coming back and no
 * other; a bond's released members leave it without carrier, so VLAN interfaces on it lose their link (made by
 * the agent with ip link, they have no profile NetworkManager would bring back). Taken as an assumption, from
 * NetworkManager's documented Reapply/up split and its deactivation's cleanup, not watched in the lab: that
 * re-activation keeps a linux bridge or bond device itself (the lab saw a VM's tap on a bridge re-activated lose
 * pings for some 20 ms, not its place), so no linux bridge counts as deleted here. On networkmanager-ovs a
 * profile's tree is what cycles: an ovs-bridge with its own port and internal interface (one device name), its
 * bond's port and NICs, its fake bridges (refuseReactivatingOccupiedOvsBridges judges the VMs on it).
 */
export function nmDeactivatedDevices(config: RenderedConfig, intent: HostNetworkIntent, live: LiveState): string[] {
  if (!config.target.startsWith('networkmanager-')) return [];
  const present = new Map(live.links.map((l) => [l.name, l]));
  const named = managedInterfaceNames(intent);
  const profiles = nmProfiles(config);
  const ups = nmActivatedProfiles(config);
  const cycled = config.target === 'networkmanager-ovs' ? ups.flatMap((p) => nmProfileTree(config, profiles, p)) : ups;
  const out = new Set(cycled.map((p) => p.ifname).filter((n) => present.has(n) && present.get(n)!.up !== false));
  for (let grew = true; grew; ) {
    grew = false;
    for (const l of live.links) {
      if (!out.has(l.name) && l.master !== undefined && out.has(l.master) && named.has(l.name)) {
        out.add(l.name);
        grew = true;
      }
    }
  }
  return [...out].sort();
}

/** Everything the activation takes down or deactivates: ifdowns, a whole-network restart's, NetworkManager's re-activations. */
export function takenDownDevices(config: RenderedConfig, intent: HostNetworkIntent, live: LiveState, previousFiles?: PreviousFiles): string[] {
  return [...new Set([...ifdownedOrRestartedDevices(config, live, previousFiles), ...nmDeactivatedDevices(config, intent, live)])].sort();
}

const BRIDGE_KINDS = new Set(['bridge', 'ovs-bridge', 'ovs-fake-bridge']);

/** The bridges among `devices` with VM taps (or the agent's ports) on them, an OVS fake bridge's counting for its parent. */
function occupiedBridges(devices: readonly string[], live: LiveState): { bridge: string; occupants: string[] }[] {
  const byName = new Map(live.links.map((l) => [l.name, l]));
  const down = new Set(devices.filter((d) => BRIDGE_KINDS.has(byName.get(d)?.kind ?? '')));
  // an OVS fake bridge goes with its parent, and its ports with it
  for (const l of live.links) if (l.kind === 'ovs-fake-bridge' && l.parent !== undefined && down.has(l.parent)) down.add(l.name);
  return [...down].sort().flatMap((bridge) => {
    const occupants = live.links.filter((l) => l.master === bridge && isForeignName(l.name)).map((l) => l.name).sort();
    return occupants.length > 0 ? [{ bridge, occupants }] : [];
  });
}

/**
 * Refuses an activation that would take down a bridge VM taps (or the agent's ports) are plugged into: ifdown
 * deletes a bridge (network-scripts' ifdown-eth and ifdown-ovs, bridge-utils' post-down, the OVS hook's del-br),
 * and bringing it up again from its file does not plug them back. hostnet's narrower activations never take a
 * bridge down; a whole-network restart does (restartedDevices).
 */
export function refuseTakingDownOccupiedBridges(devices: readonly string[], live: LiveState): void {
  const hit = occupiedBridges(devices, live);
  if (hit.length > 0) throw new OccupiedBridgeDownError(hit);
}

/**
 * networkmanager-ovs: refuses `nmcli connection up` of an ovs-bridge profile whose bridge runs with VM taps or
 * the agent's ports on it (or on a fake bridge of it). The narrower activation brings a bridge's own profile up
 * only when that file changes or the bridge is missing; the full one (no host files) brings every bridge up.
 */
export function refuseReactivatingOccupiedOvsBridges(config: RenderedConfig, live: LiveState): void {
  if (config.target !== 'networkmanager-ovs') return;
  const bridges = nmActivatedProfiles(config).filter((p) => p.type === 'ovs-bridge');
  const hit = bridges.flatMap((p) => {
    const occupants = occupiedBridges([p.ifname], live).flatMap((b) => b.occupants);
    return occupants.length > 0 ? [{ bridge: p.ifname, profile: p.id, occupants: [...new Set(occupants)].sort() }] : [];
  });
  if (hit.length > 0) throw new NmOvsBridgeReactivationError(hit);
}

/**
 * Refuses an activation that would ifdown a link other owners' VLAN interfaces sit on. The transition guards
 * (vm-path.guard) see only what a transition moves or deletes; an activation re-applying a changed bond stanza
 * or ifcfg file takes the bond down too, and ifdown deletes it (ifenslave's post-down `ip link del`,
 * network-scripts' ifdown-eth through bonding_masters), the kernel every VLAN on it with it. hostnet's own
 * VLANs are brought up again by the same activation; the agent's (bond1.200 under brbond1-200) are not.
 */
export function refuseTakingDownStackedDevices(devices: readonly string[], intent: HostNetworkIntent, live: LiveState, previous?: LiveState, cause?: string): void {
  const owned = new Set([...managedInterfaceNames(intent), ...(previous?.links ?? []).map((l) => l.name)]);
  const hit = [...new Set(devices)].sort().flatMap((link) => {
    const stacked = live.links.filter((l) => l.kind === 'vlan' && l.parent === link && !owned.has(l.name));
    if (stacked.length === 0) return [];
    const bridges = [...new Set(stacked.map((l) => l.master).filter((m): m is string => m !== undefined))].sort();
    return [{ link, stacked: stacked.map((l) => l.name).sort(), bridges }];
  });
  if (hit.length > 0) throw new StackedDevicesError(hit, cause);
}

/** The interfaces an activation step flushes of their IPv4 addresses (a snippet's, or Debian OVS's own `ip -4 addr flush dev X`). */
export function flushedDevices(steps: readonly ApplyStep[]): string[] {
  return steps
    .filter((s) => s.phase === 'activate' && ((s.argv[0] === 'sh' && FLUSHING.has(s.argv[2]!)) || s.argv.slice(0, 5).join(' ') === 'ip -4 addr flush dev'))
    .map((s) => s.argv.at(-1)!);
}

/**
 * Refuses an activation that would take addresses or static routes away that the rendered files do not bring
 * back. lost-addressing.guard sees the devices a transition makes ports or deletes; the activation also flushes
 * a bridge whose file changed before its ifup (ifup fails on an address already there, or only ever adds), and
 * ifdown drops what a port carries: an operator's second address on cloudbr0 and the route through it went too.
 */
export function refuseLosingAddressingOnActivation(config: RenderedConfig, intent: HostNetworkIntent, live: LiveState, previousFiles: PreviousFiles = new Map(), expected?: LiveState): void {
  const down = new Set(takenDownDevices(config, intent, live, previousFiles));
  // network-scripts' ifup adds the routes of a route-<dev> file in place back (ifup-routes)
  const restored = config.target.startsWith('el-network-scripts-') ? routeFileRoutes(runSides(config, previousFiles).after) : [];
  refuseFlushingAddressing(intent, live, new Set([...down, ...flushedDevices(config.steps)]), down, restored, expected);
}

/**
 * The links `netplan apply` has systemd-networkd reconfigure: every link networkd manages, on every apply (netplan
 * 0.102 and later: `networkctl reload` then `networkctl reconfigure` of each managed link, canonical/netplan#200,
 * whenever netplan generated a networkd file, as hostnet's always does; earlier, a networkd restart). Taken here as
 * the links hostnet's netplan file names that run: a relabel's veth ends (the drop-in's) and VM taps match no
 * .network file, so networkd leaves them alone. None when the host's files read are the run's already and its
 * live state is as intended: such a run is a no-op the guards must not refuse, and a forced one runs no apply when it
 * has nothing else to run (netplan-activation.ts drops it). Files unchanged with live drift: a link
 * found down, an MTU or a parameter runs without netplan apply (netplan-activation.ts); other drift (a VLAN, an
 * address gone) runs it, and is judged as a changed file is.
 */
export function netplanReconfiguredDevices(config: RenderedConfig, intent: HostNetworkIntent, live: LiveState, previousFiles?: PreviousFiles, expected?: LiveState): string[] {
  if (!config.target.startsWith('netplan-') || !config.steps.some((s) => s.phase === 'activate' && s.argv.join(' ') === 'netplan apply')) return [];
  if (previousFiles !== undefined && changedPaths(config, previousFiles).length === 0 && liveDifferences(expected ?? expectedLiveState(intent), live).length === 0) return [];
  const named = new Set([...intent.nics, ...intent.bonds, ...intent.vlans, ...intent.bridges].map((d) => d.name));
  return live.links.filter((l) => named.has(l.name) && l.up !== false).map((l) => l.name).sort();
}

const NETPLAN_STACKED_CAUSE =
  "netplan apply has systemd-networkd reconfigure the bond, which sets its members down to enslave them again (systemd#31165), and the bond and the VLAN interfaces on it lose their link";

/**
 * Refuses a `netplan apply` whose reconfiguration (netplanReconfiguredDevices) costs what hostnet does not bring back.
 * Reconfiguring a link drops the addresses and routes no .network file names (networkd's defaults: KeepConfiguration=no,
 * ManageForeignRoutes=yes), an operator's second address on cloudbr0 and the route through it included; a Linux bond's
 * members bounce, and the agent's VLAN interface on the bond (bond1.200 in brbond1-200) loses its link with them.
 */
export function refuseNetplanReconfiguring(config: RenderedConfig, intent: HostNetworkIntent, live: LiveState, previous?: LiveState, previousFiles?: PreviousFiles, expected?: LiveState): void {
  const reconfigured = netplanReconfiguredDevices(config, intent, live, previousFiles, expected);
  if (reconfigured.length === 0) return;
  const kinds = new Map(live.links.map((l) => [l.name, l.kind]));
  refuseTakingDownStackedDevices(reconfigured.filter((d) => kinds.get(d) === 'bond'), intent, live, previous, NETPLAN_STACKED_CAUSE);
  refuseFlushingAddressing(intent, live, new Set(reconfigured), new Set(reconfigured), [], expected);
}
