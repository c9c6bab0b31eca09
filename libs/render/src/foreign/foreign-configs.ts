import { HOST_PATH, HOST_PATH_CHARS } from '@hostnet/contracts';
import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveState } from '@hostnet/intent/domain/live-state';
import type { PreviousFiles } from '../activation/activation-steps';
import { RenderError } from '../domain/render-errors';
import { ifcfgValue } from '../format/ifcfg-value';
import { ifcfgSuffix } from '../format/ifcfg-path';
import { keyfileValue } from '../format/keyfile-value';
import type { NeutralisedFile, RenderedConfig } from '../domain/rendered-config';
import { KeyfileNames, PROFILE_UUID } from './keyfile-names';
import { ignoredBy, nmKeyfileLoaded } from './ignored-names';
import { liveNics } from './live-nics';
import { isNetplanFile, NetplanDevices, netplanNetwork, netplanPaths, type NetplanFile } from './netplan-names';

/** Profiles netplan generates from its YAML for NetworkManager: they follow the YAML (the next `netplan apply` or boot). */
const NETPLAN_GENERATED = /^\/run\/NetworkManager\/system-connections\/netplan-[^/]+\.nmconnection$/;

/**
 * A profile NetworkManager generated in /run for a device it found and does not manage (a VM's tap on a bridge, a
 * bridge made by another tool): `[.nmmeta]` marks it nm-generated/external. It mirrors the device, configures nothing,
 * and goes when the device does; the profiles an owner keeps in memory (`nmcli --temporary`, the initrd's) carry no
 * such mark.
 */
export function nmGenerated(path: string, content: string): boolean {
  return path.startsWith('/run/') && nmKeyfileLoaded(path) && ['nm-generated', 'external'].some((key) => keyfileValue(content, '.nmmeta', key) === 'true');
}

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

/** Whether this target's system reads the file: NetworkManager (and, on EL, its ifcfg-rh plugin) and netplan, each their own, passing over the backups each ignores (ignored-names.ts). */
function readBy(target: RenderedConfig['target'], path: string): boolean {
  const networkManager = target.startsWith('networkmanager-');
  const netplan = target.startsWith('netplan-');
  // a netplan host's NetworkManager reads keyfiles too: one bound to a NIC netplan hands to networkd would take it back
  if (nmKeyfileLoaded(path)) return networkManager || (netplan && !NETPLAN_GENERATED.test(path));
  if (ifcfgSuffix(path) !== undefined) {
    if (networkManager) return !ignoredBy('networkmanager', path);
    return target.startsWith('el-network-scripts-') && !ignoredBy('network-scripts', path);
  }
  return netplan && isNetplanFile(path);
}

/** How each kind of file names interfaces, across the files it refers to (a port's bond profile, a netplan id's match). */
class ForeignNames {
  private readonly keyfiles: KeyfileNames;
  private readonly netplan: NetplanDevices;
  private readonly networks: Map<string, NetplanFile>;

  constructor(previous: PreviousFiles, netplanRead: readonly string[], live: LiveState | undefined, private readonly managed: ReadonlySet<string>) {
    const nics = liveNics(live);
    const contents = (paths: readonly string[]) => paths.flatMap((path) => (previous.get(path)?.content === undefined ? [] : [{ path, content: previous.get(path)!.content! }]));
    this.keyfiles = new KeyfileNames(contents([...previous.keys()].filter((p) => nmKeyfileLoaded(p))).map((f) => f.content), nics);
    this.networks = new Map(contents(netplanRead).map(({ path, content }) => [path, { path, network: netplanNetwork(path, content) }]));
    this.netplan = new NetplanDevices([...this.networks.values()], nics);
  }

  of(path: string, content: string): string[] {
    if (nmKeyfileLoaded(path)) return this.keyfiles.names(content);
    if (ifcfgSuffix(path) !== undefined) return ifcfgNames(path, content);
    return this.netplan.names(this.networks.get(path) ?? { path, network: netplanNetwork(path, content) }, this.managed);
  }
}

/** network-scripts binds a file to DEVICE= (the file name when absent); BRIDGE=/MASTER= name its parent. */
function ifcfgNames(path: string, content: string): string[] {
  return [ifcfgValue(content, 'DEVICE') ?? ifcfgSuffix(path)!, ifcfgValue(content, 'BRIDGE'), ifcfgValue(content, 'MASTER')].filter((v): v is string => !!v);
}

/** A file hostnet cannot move aside: /run's are made again at boot, /lib's belong to a package. The fix for each. */
function readOnlyRefusal(path: string, content: string, ours: string[]): RenderError {
  const names = ours.join(', ');
  const uuid = keyfileValue(content, 'connection', 'uuid');
  const fix = path.startsWith('/lib/')
    ? `put a file of the same name in /etc/netplan that leaves out ${names} (netplan reads only one file of a name, /etc's before /lib's)`
    : path.startsWith('/run/netplan/')
      ? `stop what writes it (on Ubuntu the initramfs writes /run/netplan/<nic>.yaml for an ip= kernel argument) and delete it`
      : `delete the profile NetworkManager keeps in memory (nmcli connection delete ${uuid && PROFILE_UUID.test(uuid) ? uuid : '<its uuid>'}) and stop what makes it (nmcli --temporary, the initrd)`;
  return new RenderError(`${path} configures ${names} (managed by hostnet), and hostnet does not change files under /run or /lib; fix: ${fix}, then run the host again`);
}

/**
 * Other configs that name interfaces hostnet manages (the installer's netplan file, NetworkManager's
 * "Wired connection 1", an `ifcfg-System_eth0`): left in place they configure the same devices a
 * second time (a second address and default route, a NIC both plain and a bond member). Each becomes
 * a `removes` entry of the run, so it goes into the run's backup and comes back on rollback, and the
 * diff says why. A file that also configures interfaces hostnet does not manage cannot be moved aside
 * whole: that is refused, naming the file and both sets of names.
 */
export function withForeignConfigsNeutralised(config: RenderedConfig, intent: HostNetworkIntent, previous: PreviousFiles, live?: LiveState): RenderedConfig {
  const managed = managedInterfaceNames(intent);
  const owned = new Set([...config.files.map((f) => f.path), ...config.removes]);
  const netplan = config.target.startsWith('netplan-') ? netplanPaths(previous.keys()) : { read: [], shadowed: new Set<string>() };
  for (const f of config.files) {
    const shadow = f.path.replace(/^\/etc\/netplan\//, '/run/netplan/');
    if (shadow !== f.path && previous.has(shadow)) {
      throw new RenderError(`${shadow} shadows hostnet's ${f.path}: netplan reads only one file of a name, /run's before /etc's; fix: delete ${shadow} and stop what writes it, then run the host again`);
    }
  }
  const names = new ForeignNames(previous, netplan.read.filter((p) => !owned.has(p)), live, managed);
  const neutralised: NeutralisedFile[] = [];
  for (const [path, file] of [...previous].sort(([a], [b]) => a.localeCompare(b))) {
    if (owned.has(path) || netplan.shadowed.has(path) || !readBy(config.target, path)) continue;
    if (file.content === undefined) {
      throw new RenderError(`${path}: too large to read, so hostnet cannot tell whether it configures the interfaces it manages; fix: shrink or remove the file`);
    }
    if (nmGenerated(path, file.content)) continue;
    const named = names.of(path, file.content);
    const ours = [...new Set(named.filter((n) => managed.has(n)))].sort();
    if (ours.length === 0) continue;
    if (/^\/(run|lib)\//.test(path)) throw readOnlyRefusal(path, file.content, ours);
    const others = [...new Set(named.filter((n) => !managed.has(n)))].sort();
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
