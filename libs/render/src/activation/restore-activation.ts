import { isValidInterfaceName } from '@hostnet/intent';
import type { ApplyStep, RenderedConfig } from '../domain/rendered-config';
import { activateStep, changedPaths, ifdownQuietly, unreadable, type PreviousFiles } from './activation-steps';
import { ifupdownSteps, INTERFACES, onlyInterfacesActivate } from './ifupdown-activation';
import { changedInterfaces, downOrder, upOrder } from './network-scripts-activation';

const NM_PROFILE = /^\/etc\/NetworkManager\/system-connections\/([^/]+)\.nmconnection$/;
/** Steps that set the NEW addresses by hand (Debian OVS): never part of putting the old files back. */
const NEW_STATE_STEP = /^(flush|addr|link-up)-/;

/**
 * The restore's re-activation of the old files, limited to the interfaces whose configuration the run
 * changed: a host that is Enabled or runs VMs must not lose every bridge (and every VM's tap on it) to
 * a whole-network restart because one file was put back. Interfaces the run created are not here: the
 * restore script deletes those it owns. Falls back to the target's own activation only when the old
 * files cannot be read (too large) or name nothing to bring back.
 */
export function restoreActivation(rendered: RenderedConfig, previous: PreviousFiles): ApplyStep[] {
  const fallback = rendered.steps.filter((s) => s.phase === 'activate' && !NEW_STATE_STEP.test(s.name) && !s.name.startsWith('activate-'));
  const changed = changedPaths(rendered, previous);
  if (changed.length === 0) return [];
  if (unreadable(changed, previous)) return fallback.length > 0 ? fallback : [activateStep('network-restart', ['service', 'network', 'restart'])];
  const steps = stepsFor(rendered, changed, previous);
  return steps && steps.length > 0 ? steps : fallback;
}

function stepsFor(rendered: RenderedConfig, changed: string[], previous: PreviousFiles): ApplyStep[] | undefined {
  switch (rendered.target) {
    case 'el-network-scripts-linux':
    case 'el-network-scripts-ovs':
      return networkScripts(changed, previous);
    case 'debian-ifupdown-linux':
    case 'debian-ifupdown-ovs':
      // ifupdown2's ifreload already touches only the stanzas that differ from what runs
      if (rendered.steps.some((s) => s.argv[0] === 'ifreload')) return rendered.steps.filter((s) => s.argv[0] === 'ifreload' || s.argv[0] === 'sysctl');
      return ifupdown(rendered, changed, previous);
    case 'networkmanager-linux':
      return networkManager(changed, previous);
    default:
      // netplan apply is netplan's only activation; networkd reconfigures only links whose config changed
      return undefined;
  }
}

/** ifdown each changed old port (never a bridge: see downOrder), then ifup them all, bridges first. */
function networkScripts(changed: string[], previous: PreviousFiles): ApplyStep[] {
  const interfaces = changedInterfaces(changed, new Map([...previous].map(([path, f]) => [path, f.content])));
  return [...downOrder(interfaces).map((n) => ifdownQuietly('restore', n, false)), ...upOrder(interfaces).map((n) => activateStep(`restore-ifup-${n}`, ['ifup', n]))];
}

/** Classic ifupdown: only the stanzas that differ, from the run's file back to the old one (ifupdownSteps). */
function ifupdown(rendered: RenderedConfig, changed: string[], previous: PreviousFiles): ApplyStep[] | undefined {
  if (!onlyInterfacesActivate(changed)) return undefined;
  const ran = rendered.files.find((f) => f.path === INTERFACES)?.content ?? '';
  const sysctl = rendered.steps.filter((s) => s.argv[0] === 'sysctl');
  return [...ifupdownSteps(ran, previous.get(INTERFACES)?.content ?? '', 'restore'), ...sysctl];
}

/** NetworkManager: reload the restored profiles and bring back up those the run had changed. */
function networkManager(changed: string[], previous: PreviousFiles): ApplyStep[] {
  const ids = changed.flatMap((path) => {
    const id = NM_PROFILE.exec(path)?.[1];
    return id && previous.has(path) && isValidInterfaceName(id) ? [id] : [];
  });
  return [activateStep('nmcli-reload', ['nmcli', 'connection', 'reload']), ...ids.map((id) => activateStep(`restore-nmcli-up-${id}`, ['nmcli', 'connection', 'up', 'id', id]))];
}
