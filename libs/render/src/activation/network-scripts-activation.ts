import { isValidInterfaceName } from '@hostnet/intent';
import type { ApplyStep, RenderedConfig } from '../domain/rendered-config';
import { activateStep, changedPaths, ifdownQuietly, unreadable, type PreviousFiles } from './activation-steps';

export const IFCFG_DIR = '/etc/sysconfig/network-scripts';
const IFCFG = /^\/etc\/sysconfig\/network-scripts\/ifcfg-([^/]+)$/;
const SYSCONFIG_NETWORK = '/etc/sysconfig/network';

/** The interface of an ifcfg path, when it is one and its name is valid. */
export function ifcfgName(path: string): string | undefined {
  const name = IFCFG.exec(path)?.[1];
  return name && isValidInterfaceName(name) ? name : undefined;
}

/**
 * network-scripts' own order (as /etc/init.d/network brings interfaces up): bridges, then bonds,
 * NICs and OVS ports, then VLANs and OVS internal ports, which carry the addresses.
 */
export function ifcfgRank(content: string, name: string): number {
  const type = /^TYPE=["']?(\w+)/m.exec(content)?.[1] ?? '';
  if (type === 'OVSBridge' || type === 'Bridge') return 0;
  if (type === 'OVSBond' || /^BONDING_OPTS=/m.test(content)) return 1;
  if (type === 'OVSIntPort' || /^VLAN=yes/m.test(content) || name.includes('.')) return 3;
  return 2;
}

/** Interfaces (name → ifcfg content) whose file changed, plus those carrying an address when the gateway file changed. */
export function changedInterfaces(changed: string[], files: ReadonlyMap<string, string | undefined>): Map<string, string> {
  const out = new Map<string, string>();
  for (const path of changed) {
    const name = ifcfgName(path);
    const content = files.get(path);
    if (name && content !== undefined) out.set(name, content);
  }
  if (changed.includes(SYSCONFIG_NETWORK)) {
    for (const [path, content] of files) {
      const name = ifcfgName(path);
      if (name && content !== undefined && /^IPADDR=/m.test(content)) out.set(name, content);
    }
  }
  return out;
}

export function upOrder(interfaces: ReadonlyMap<string, string>): string[] {
  return [...interfaces.keys()].sort((a, b) => ifcfgRank(interfaces.get(a)!, a) - ifcfgRank(interfaces.get(b)!, b) || a.localeCompare(b));
}

/**
 * What to take down before bringing up again, ports before their bridge. Never a bridge: ifdown
 * deletes it (ifdown-eth `brctl delbr`, ifdown-ovs `del-br`) and with it every VM tap plugged in by
 * the agent; ifup of an existing bridge re-applies its settings in place.
 */
export function downOrder(interfaces: ReadonlyMap<string, string>): string[] {
  return upOrder(interfaces).filter((n) => ifcfgRank(interfaces.get(n)!, n) !== 0).reverse();
}

/**
 * Apply-time activation for network-scripts: instead of `service network restart` (which deletes
 * and rebuilds every bridge, dropping every VM's tap), take down the interfaces whose old files
 * changed and bring up those whose new files changed. Unchanged interfaces are not touched.
 */
export function networkScriptsActivation(rendered: RenderedConfig, previous: PreviousFiles): ApplyStep[] | undefined {
  const changed = changedPaths(rendered, previous);
  if (unreadable(changed, previous)) return undefined;
  const oldFiles = new Map([...previous].map(([path, f]) => [path, f.content]));
  const newFiles = new Map<string, string | undefined>([...oldFiles].filter(([path]) => !rendered.removes.includes(path)));
  for (const f of rendered.files) newFiles.set(f.path, f.content);
  const down = downOrder(changedInterfaces(changed, oldFiles));
  const up = upOrder(changedInterfaces(changed, newFiles));
  return [...down.map((n) => ifdownQuietly('activate', n, false)), ...up.map((n) => activateStep(`activate-ifup-${n}`, ['ifup', n]))];
}
