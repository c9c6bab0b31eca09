import { isValidInterfaceName } from '@hostnet/intent';
import type { LiveState } from '@hostnet/intent/domain/live-state';
import type { ApplyStep, RenderedConfig } from '../domain/rendered-config';
import { ifcfgValue } from '../format/ifcfg-value';
import { ifcfgSuffix } from '../format/ifcfg-path';
import { keyfileValue } from '../format/keyfile-value';
import { dropInPairs, NETWORKD_VETH_DROPIN, remakePairStep } from '../renderers/networkd-veth-dropin';
import { isLinuxTransitionStep } from '../transition/linux-link-steps';
import { activateStep, changedPaths, unreadable, type PreviousFiles } from './activation-steps';
import { effectiveInterfaces, ifupdownSteps, INTERFACES, onlyInterfacesActivate } from './ifupdown-activation';
import { keyfileDevices, PROFILE_UUID } from '../foreign/keyfile-names';
import { liveNics } from '../foreign/live-nics';
import { nmGenerated } from '../foreign/foreign-configs';
import { ACTIVATION_SNIPPETS, snippetArgv } from './activation-snippets';
import { nmKeyfileLoaded } from '../foreign/ignored-names';
import { withNetplanOvsRowsKept } from './netplan-ovs-restore';
import { networkScriptsSteps, runSides } from './network-scripts-activation';

/** networkmanager-ovs names its OVS profiles `ovs-port-bond0` (nmcli's default): an interface name after the type. */
const NM_OVS_PREFIX = /^ovs-(bridge|port|interface)-/;
/** Steps that set the NEW addresses by hand (Debian OVS): never part of putting the old files back. */
const NEW_STATE_STEP = /^(flush|addr|link-up)-/;

/**
 * The restore's re-activation of the old files, limited to the interfaces whose configuration the run
 * changed: a host that is Enabled or runs VMs must not lose every bridge (and every VM's tap on it) to
 * a whole-network restart because one file was put back. Interfaces the run created are not here: the
 * restore script deletes those it owns. Falls back to the target's own activation (never to another
 * target's, nor a transition's link steps: the restore's undo takes those back) only when the old files
 * cannot be read (too large), the plan names nothing to bring back, or the target has no finer activation
 * (netplan apply). `live` (facts' state before the run) tells netplan-ovs which OVS rows were there before it.
 */
export function restoreActivation(rendered: RenderedConfig, previous: PreviousFiles, live?: LiveState): ApplyStep[] {
  const fallback = rendered.steps.filter((s) => s.phase === 'activate' && !NEW_STATE_STEP.test(s.name) && !s.name.startsWith('activate-') && !isLinuxTransitionStep(s));
  const changed = changedPaths(rendered, previous);
  if (changed.length === 0) return [];
  if (unreadable(changed, previous)) return withNetplanOvsRowsKept(withoutNewFileLoads(fallback, previous), rendered, live);
  const steps = stepsFor(rendered, changed, previous, live);
  const all = withoutNewFileLoads([...(steps ?? fallback), ...vethPairsRemade(rendered, changed, previous)], previous);
  return withNetplanOvsRowsKept(all, rendered, live);
}

/**
 * `sysctl -p FILE` re-loads a file the host had before the run; a drop-in the run made is gone by the
 * time the restore activates (sysctl -p of a missing file exits 255, and the restore would read as
 * incomplete), so its load is left out.
 */
function withoutNewFileLoads(steps: ApplyStep[], previous: PreviousFiles): ApplyStep[] {
  return steps.filter((s) => !(s.argv[0] === 'sysctl' && s.argv.includes('-p') && !previous.has(s.argv.at(-1)!)));
}

/**
 * netplan-linux: the pairs of the drop-in put back (a contract that deleted them failed), made again after
 * `netplan apply` has made their bridges; networkd runs the drop-in only when it starts.
 */
function vethPairsRemade(rendered: RenderedConfig, changed: string[], previous: PreviousFiles): ApplyStep[] {
  if (rendered.target !== 'netplan-linux' || !changed.includes(NETWORKD_VETH_DROPIN)) return [];
  return dropInPairs(previous.get(NETWORKD_VETH_DROPIN)?.content ?? '').map(remakePairStep);
}

/** A plan that names nothing falls back to the target's activation: undefined. */
const orFallback = (steps: ApplyStep[] | undefined) => (steps && steps.length > 0 ? steps : undefined);

/** The restore's finer plan; undefined: none (the caller falls back), [] only when all it would touch was the host's before the run. */
function stepsFor(rendered: RenderedConfig, changed: string[], previous: PreviousFiles, live: LiveState | undefined): ApplyStep[] | undefined {
  switch (rendered.target) {
    case 'el-network-scripts-linux':
    case 'el-network-scripts-ovs':
      return networkScripts(rendered, changed, previous, live);
    case 'debian-ifupdown-linux':
    case 'debian-ifupdown-ovs':
      // ifupdown2's ifreload already touches only the stanzas that differ from what runs
      if (rendered.steps.some((s) => s.argv[0] === 'ifreload')) return orFallback(rendered.steps.filter((s) => s.argv[0] === 'ifreload' || s.argv[0] === 'sysctl'));
      return orFallback(ifupdown(rendered, changed, previous, live));
    case 'networkmanager-linux':
    case 'networkmanager-ovs':
      return orFallback(networkManager(changed, previous, live));
    default:
      // netplan apply is netplan's only activation (withNetplanOvsRowsKept readies netplan-ovs's)
      return undefined;
  }
}

/**
 * The forward plan reversed: from the run's files back to the host's (networkScriptsSteps), what the host ran
 * before kept. A plan left empty only by what the host held is no reason for a whole-network restart.
 */
function networkScripts(rendered: RenderedConfig, changed: string[], previous: PreviousFiles, live: LiveState | undefined): ApplyStep[] | undefined {
  const { before, after } = runSides(rendered, previous);
  if (networkScriptsSteps(changed, after, before, 'restore').length === 0) return undefined;
  return networkScriptsSteps(changed, after, before, 'restore', live);
}

/** Classic ifupdown: only the stanzas that differ, from the run's file back to the old one (ifupdownSteps). */
function ifupdown(rendered: RenderedConfig, changed: string[], previous: PreviousFiles, live: LiveState | undefined): ApplyStep[] | undefined {
  const old = effectiveInterfaces(previous.get(INTERFACES)?.content ?? '', previous);
  if (!onlyInterfacesActivate(changed) || old === undefined) return undefined;
  const ran = rendered.files.find((f) => f.path === INTERFACES)?.content ?? '';
  const sysctl = rendered.steps.filter((s) => s.argv[0] === 'sysctl');
  return [...ifupdownSteps(ran, old, 'restore', live), ...sysctl];
}

/**
 * NetworkManager: reload the restored profiles and bring back up exactly those the run changed or moved aside,
 * keyfiles and (EL 8/9's ifcfg-rh plugin) ifcfg files alike. A reload alone would leave a moved-aside ifcfg-eno1
 * to autoconnect, which does not re-activate a device NetworkManager already deactivated. Each is named by the
 * uuid its old content holds (unique, unlike an id; hostnet's own profiles carry one), else by its id
 * (`[connection] id`, ifcfg NAME) when that is a word a step may carry, else, for an ifcfg file, by its device
 * (`nmcli connection up ifname D` lets NetworkManager pick the device's profile, the restored file being it).
 * A profile whose device was down before the run (an ifcfg-eno2 with ONBOOT=no, moved aside) is only reloaded:
 * bringing it up would start what the host did not run (DHCP on an idle NIC).
 */
function networkManager(changed: string[], previous: PreviousFiles, live: LiveState | undefined): ApplyStep[] {
  const ups = changed.flatMap((path): ApplyStep[] => {
    const content = previous.get(path)?.content;
    if (content === undefined) return [];
    const profile = nmProfileOf(path, content);
    if (!profile || wasDown(profile.device, live)) return [];
    const uuid = profile.uuid?.toLowerCase();
    if (uuid && PROFILE_UUID.test(uuid)) {
      const ports = portsLeftBehind(path, content, profile.device, previous, live);
      const argv = ports.length > 0 ? snippetArgv(ACTIVATION_SNIPPETS.nmUpKeepingPorts, [profile.device!, uuid, ...ports]) : ['nmcli', 'connection', 'up', 'uuid', uuid];
      return [activateStep(`restore-nmcli-up-${uuid}`, argv)];
    }
    if (profile.id && isValidInterfaceName(profile.id.replace(NM_OVS_PREFIX, ''))) return [activateStep(`restore-nmcli-up-${profile.id}`, ['nmcli', 'connection', 'up', 'id', profile.id])];
    if (profile.device && isValidInterfaceName(profile.device)) return [activateStep(`restore-nmcli-up-ifname-${profile.device}`, ['nmcli', 'connection', 'up', 'ifname', profile.device])];
    return [];
  });
  return [activateStep('nmcli-reload', ['nmcli', 'connection', 'reload']), ...ups];
}

/**
 * The ports of a restored bridge profile's device that no profile of the host configures (VM taps, as facts saw them
 * before the run) when that profile does not take its ports along on activation (no autoconnect-slaves, as nmcli
 * makes a bridge): its `nmcli connection up` detaches them and nothing puts them back (seen on the lab's Rocky 9
 * NetworkManager). hostnet's own bridge profiles take them along.
 */
function portsLeftBehind(path: string, content: string, device: string | undefined, previous: PreviousFiles, live: LiveState | undefined): string[] {
  if (!device || !isValidInterfaceName(device) || !nmKeyfileLoaded(path) || keyfileValue(content, 'connection', 'type') !== 'bridge') return [];
  if (['1', 'true', 'yes'].includes(keyfileValue(content, 'connection', 'autoconnect-slaves') ?? keyfileValue(content, 'connection', 'autoconnect-ports') ?? '')) return [];
  const nics = liveNics(live);
  const configured = new Set(
    [...previous].flatMap(([p, f]) => {
      // NetworkManager's own profile of a device it found (a tap's) configures nothing
      if (f.content === undefined || nmGenerated(p, f.content)) return [];
      if (nmKeyfileLoaded(p)) return keyfileDevices(f.content, nics);
      const ifcfg = ifcfgSuffix(p);
      return ifcfg ? [ifcfgValue(f.content, 'DEVICE') ?? ifcfg] : [];
    }),
  );
  return (live?.links ?? []).filter((l) => l.master === device && !configured.has(l.name) && isValidInterfaceName(l.name)).map((l) => l.name).sort();
}

/**
 * The profile's device was there and down before the run, as facts read it. A device facts did not list is not
 * known to be down (an OVS port profile names no kernel link), nor is any without live state.
 */
function wasDown(device: string | undefined, live: LiveState | undefined): boolean {
  return !!device && live?.links.find((l) => l.name === device)?.up === false;
}

/** What names a profile file the host had: a keyfile's uuid, id (its file name when it has no id) and interface-name, an ifcfg file's UUID, NAME and device. */
function nmProfileOf(path: string, content: string): { uuid?: string; id?: string; device?: string } | undefined {
  // any profile NetworkManager loads from /etc, `eth0` as much as `eth0.nmconnection` (hostnet moves both aside)
  const keyfile = path.startsWith('/etc/') && nmKeyfileLoaded(path) ? path.slice(path.lastIndexOf('/') + 1).replace(/\.nmconnection$/, '') : undefined;
  if (keyfile) return { uuid: keyfileValue(content, 'connection', 'uuid'), id: keyfileValue(content, 'connection', 'id') ?? keyfile, device: keyfileValue(content, 'connection', 'interface-name') };
  const ifcfg = ifcfgSuffix(path);
  if (ifcfg) return { uuid: ifcfgValue(content, 'UUID'), id: ifcfgValue(content, 'NAME'), device: ifcfgValue(content, 'DEVICE') ?? ifcfg };
  return undefined;
}
