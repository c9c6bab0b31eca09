import { parse } from 'yaml';
import { HOST_PATH, HOST_PATH_CHARS } from '@hostnet/contracts';
import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { PreviousFiles } from '../activation/activation-steps';
import { RenderError } from '../domain/render-errors';
import { ifcfgValue } from '../format/ifcfg-value';
import { keyfileValue } from '../format/keyfile-value';
import type { NeutralisedFile, RenderedConfig } from '../domain/rendered-config';

const NM_KEYFILE = /^\/etc\/NetworkManager\/system-connections\/[^/]+\.nmconnection$/;
const IFCFG = /^\/etc\/sysconfig\/network-scripts\/ifcfg-([^/]+)$/;
const NETPLAN = /^\/etc\/netplan\/[^/]+\.ya?ml$/;
const NETPLAN_DEVICE_KINDS = ['ethernets', 'bonds', 'bridges', 'vlans', 'tunnels', 'wifis', 'modems', 'vrfs', 'dummy-devices', 'virtual-ethernets'];

/** Every interface name the intent configures: these belong to hostnet's files alone. */
export function managedInterfaceNames(intent: HostNetworkIntent): Set<string> {
  return new Set([
    ...intent.nics.map((n) => n.name),
    ...intent.bonds.map((b) => b.name),
    ...intent.vlans.map((v) => v.name),
    ...intent.bridges.map((b) => b.name),
    ...(intent.links ?? []).flatMap((l) => l.ends.map((e) => e.name)),
  ]);
}

/** The interfaces a config file of another owner names, or undefined when the file is not one this target's system reads. */
function namedInterfaces(target: RenderedConfig['target'], path: string, content: string): string[] | undefined {
  const networkManager = target.startsWith('networkmanager-');
  if (NM_KEYFILE.test(path) && networkManager) return keyfileNames(content);
  // NetworkManager reads ifcfg files too on EL (the ifcfg-rh plugin), so every EL target cares about them
  if (IFCFG.test(path) && (target.startsWith('el-network-scripts-') || networkManager)) return ifcfgNames(path, content);
  if (NETPLAN.test(path) && target.startsWith('netplan-')) return netplanNames(path, content);
  return undefined;
}

/** A keyfile binds to its `interface-name`, and a port names its bridge or bond in `master`/`controller`. */
function keyfileNames(content: string): string[] {
  return ['interface-name', 'master', 'controller'].map((key) => keyfileValue(content, 'connection', key)).filter((v): v is string => !!v);
}

/** network-scripts binds a file to DEVICE= (the file name when absent); BRIDGE=/MASTER= name its parent. */
function ifcfgNames(path: string, content: string): string[] {
  return [ifcfgValue(content, 'DEVICE') ?? IFCFG.exec(path)![1]!, ifcfgValue(content, 'BRIDGE'), ifcfgValue(content, 'MASTER')].filter((v): v is string => !!v);
}

/** Device ids of every netplan device section, plus the interfaces bonds and bridges take in. */
function netplanNames(path: string, content: string): string[] {
  let doc: unknown;
  try {
    doc = parse(content);
  } catch (err) {
    throw new RenderError(`${path}: not valid YAML (${(err as Error).message.split('\n')[0]}); netplan merges every file in /etc/netplan, so hostnet cannot tell whether it configures the interfaces it manages; fix: repair or remove the file`);
  }
  const network = (doc as { network?: Record<string, unknown> } | null)?.network ?? {};
  const names: string[] = [];
  for (const kind of NETPLAN_DEVICE_KINDS) {
    const devices = network[kind];
    if (!devices || typeof devices !== 'object') continue;
    for (const [id, body] of Object.entries(devices as Record<string, unknown>)) {
      names.push(id);
      const b = (body ?? {}) as { interfaces?: unknown; 'set-name'?: unknown; link?: unknown; match?: { name?: unknown } };
      if (Array.isArray(b.interfaces)) names.push(...b.interfaces.map(String));
      for (const v of [b['set-name'], b.link, b.match?.name]) if (typeof v === 'string') names.push(v);
    }
  }
  return names;
}

/**
 * Other configs that name interfaces hostnet manages (the installer's netplan file, NetworkManager's
 * "Wired connection 1", an `ifcfg-System_eth0`): left in place they configure the same devices a
 * second time (a second address and default route, a NIC both plain and a bond member). Each becomes
 * a `removes` entry of the run, so it goes into the run's backup and comes back on rollback, and the
 * diff says why. A file that also configures interfaces hostnet does not manage cannot be moved aside
 * whole: that is refused, naming the file and both sets of names.
 */
export function withForeignConfigsNeutralised(config: RenderedConfig, intent: HostNetworkIntent, previous: PreviousFiles): RenderedConfig {
  const managed = managedInterfaceNames(intent);
  const owned = new Set([...config.files.map((f) => f.path), ...config.removes]);
  const neutralised: NeutralisedFile[] = [];
  for (const [path, file] of [...previous].sort(([a], [b]) => a.localeCompare(b))) {
    if (owned.has(path)) continue;
    if (file.content === undefined) {
      if (namedInterfaces(config.target, path, '') !== undefined) {
        throw new RenderError(`${path}: too large to read, so hostnet cannot tell whether it configures the interfaces it manages; fix: shrink or remove the file`);
      }
      continue;
    }
    const names = namedInterfaces(config.target, path, file.content);
    if (!names) continue;
    const ours = [...new Set(names.filter((n) => managed.has(n)))].sort();
    if (ours.length === 0) continue;
    const others = [...new Set(names.filter((n) => !managed.has(n)))].sort();
    if (others.length > 0) {
      throw new RenderError(
        `${path} configures ${ours.join(', ')} (managed by hostnet) and ${others.join(', ')} (not): it cannot be moved aside whole; fix: move ${others.join(', ')} into a file of its own, or remove ${ours.join(', ')} from it`,
      );
    }
    if (!HOST_PATH.test(path)) {
      throw new RenderError(
        `${JSON.stringify(path)} configures ${ours.join(', ')} (managed by hostnet), and its name has characters the run's backup does not take (only ${HOST_PATH_CHARS} and single spaces inside a NetworkManager keyfile's name); fix: rename it to such a name (NetworkManager reads any *.nmconnection name) or delete it`,
      );
    }
    neutralised.push({ path, interfaces: ours });
  }
  if (neutralised.length === 0) return config;
  return { ...config, removes: [...config.removes, ...neutralised.map((n) => n.path)], neutralised };
}
