import { isValidInterfaceName } from '@hostnet/intent';
import type { ApplyStep, RenderedConfig } from '../domain/rendered-config';
import { activateStep, changedInterfaces, changedPaths, downOrder, ifdownQuietly, unreadable, upOrder, type PreviousFiles } from './network-scripts-activation';

const NM_PROFILE = /^\/etc\/NetworkManager\/system-connections\/([^/]+)\.nmconnection$/;
const INTERFACES = '/etc/network/interfaces';
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

/** Classic ifupdown: only the stanzas that differ, in the old file's order (ifupdown does not sort them). */
function ifupdown(rendered: RenderedConfig, changed: string[], previous: PreviousFiles): ApplyStep[] | undefined {
  if (changed.some((path) => path !== INTERFACES && !path.startsWith('/etc/sysctl') && !path.startsWith('/etc/modules'))) return undefined;
  const before = stanzas(previous.get(INTERFACES)?.content ?? '');
  const after = stanzas(rendered.files.find((f) => f.path === INTERFACES)?.content ?? '');
  const names = [...before.keys()].filter((n) => n !== 'lo' && before.get(n) !== after.get(n) && isValidInterfaceName(n));
  const sysctl = rendered.steps.filter((s) => s.argv[0] === 'sysctl');
  return [...[...names].reverse().map((n) => ifdownQuietly('restore', n, true)), ...names.map((n) => activateStep(`restore-ifup-${n}`, ['ifup', n])), ...sysctl];
}

/** `iface NAME …` blocks with their option lines, keyed by NAME, in file order. */
export function stanzas(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let current: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const iface = /^iface\s+(\S+)/.exec(line);
    if (iface) {
      current = iface[1]!;
      out.set(current, `${out.get(current) ?? ''}${line}\n`);
    } else if (/^(auto|allow-\S+|source|source-directory|mapping|rename)\b/.test(line)) {
      current = undefined;
    } else if (current) {
      out.set(current, `${out.get(current)}${line}\n`);
    }
  }
  return out;
}

/** NetworkManager: reload the restored profiles and bring back up those the run had changed. */
function networkManager(changed: string[], previous: PreviousFiles): ApplyStep[] {
  const ids = changed.flatMap((path) => {
    const id = NM_PROFILE.exec(path)?.[1];
    return id && previous.has(path) && isValidInterfaceName(id) ? [id] : [];
  });
  return [activateStep('nmcli-reload', ['nmcli', 'connection', 'reload']), ...ids.map((id) => activateStep(`restore-nmcli-up-${id}`, ['nmcli', 'connection', 'up', 'id', id]))];
}
