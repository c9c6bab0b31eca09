import { RenderError } from '../domain/render-errors';
import type { LiveNics } from './live-nics';
import { parseNetplanYaml } from './netplan-yaml';

const NETPLAN_FILE = /^\/(lib|etc|run)\/netplan\/([^/]+\.yaml)$/;
const DEVICE_KINDS = ['ethernets', 'bonds', 'bridges', 'vlans', 'tunnels', 'wifis', 'modems', 'vrfs', 'dummy-devices', 'virtual-ethernets'];

export interface NetplanFile {
  path: string;
  network: Record<string, unknown>;
}

/**
 * The netplan files among `paths` that netplan reads, now or after a reboot, in its order (by file name), and those
 * it never reads. Of files of the same name it reads one: /run's, else /etc's, else /lib's (netplan-generate(8),
 * "Handling multiple files"). /etc's shadows /lib's for good; /run is emptied at boot, so a file shadowed only by a
 * /run one is read again then, and counts (after the /run one, which is what runs now).
 */
export function netplanPaths(paths: Iterable<string>): { read: string[]; shadowed: Set<string> } {
  const byName = new Map<string, Partial<Record<string, string>>>();
  for (const path of paths) {
    const m = NETPLAN_FILE.exec(path);
    if (m) byName.set(m[2]!, { ...byName.get(m[2]!), [m[1]!]: path });
  }
  const read: string[] = [];
  const shadowed = new Set<string>();
  for (const name of [...byName.keys()].sort()) {
    const { lib, etc, run } = byName.get(name)!;
    if (lib && etc) shadowed.add(lib);
    read.push(...[etc ?? lib, run].filter((p): p is string => !!p));
  }
  return { read, shadowed };
}

export function isNetplanFile(path: string): boolean {
  return NETPLAN_FILE.test(path);
}

/** A netplan file's `network:` mapping; YAML netplan cannot read is refused, naming the file. */
export function netplanNetwork(path: string, content: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = parseNetplanYaml(content);
  } catch (err) {
    throw new RenderError(`${path}: not valid YAML (${(err as Error).message.split('\n')[0]}); netplan merges every file in /etc/netplan, so hostnet cannot tell whether it configures the interfaces it manages; fix: repair or remove the file`);
  }
  const network = (doc as { network?: unknown } | null)?.network;
  return network && typeof network === 'object' ? (network as Record<string, unknown>) : {};
}

interface DeviceBody {
  interfaces?: unknown;
  'set-name'?: unknown;
  link?: unknown;
  match?: { name?: unknown; macaddress?: unknown; driver?: unknown };
}

/** Each device of a netplan mapping (a device type's own `renderer:` is no device). */
function devices(network: Record<string, unknown>): [string, DeviceBody][] {
  return DEVICE_KINDS.flatMap((kind) => {
    const section = network[kind];
    if (!section || typeof section !== 'object') return [];
    return Object.entries(section as Record<string, unknown>)
      .filter(([id, body]) => !(id === 'renderer' && typeof body === 'string'))
      .map(([id, body]): [string, DeviceBody] => [id, body && typeof body === 'object' ? (body as DeviceBody) : {}]);
  });
}

/**
 * What netplan's device ids stand for, across every file it reads (a bond in one file takes in a NIC another
 * defines): an id without `match` is the interface of that name; one with `match` is only a handle for the live
 * NICs it matches (name glob and MAC, permanent or current: netplan before 0.106 matches the current one, a bond
 * port's being its bond's), and the name `set-name` gives them.
 */
export class NetplanDevices {
  private readonly ids = new Map<string, string[]>();
  /** Ids whose match takes a driver, which hostnet cannot see: they stand for every NIC the rest of it matches. */
  private readonly byDriver = new Set<string>();

  constructor(files: readonly NetplanFile[], private readonly nics: LiveNics) {
    for (const { network } of files) {
      for (const [id, body] of devices(network)) {
        const names = body.match && typeof body.match === 'object' ? this.matched(id, body.match) : [id];
        if (typeof body['set-name'] === 'string') names.push(body['set-name']);
        this.ids.set(id, [...new Set([...(this.ids.get(id) ?? []), ...names])]);
      }
    }
  }

  /**
   * The interfaces a file configures: its devices', and those its bonds and bridges take in and its VLANs sit on.
   * A device matched by driver that may be a NIC hostnet manages is refused: which NIC it takes is not known.
   */
  names(file: NetplanFile, managed: ReadonlySet<string>): string[] {
    const names: string[] = [];
    const of = (id: string) => this.ids.get(id) ?? [id];
    for (const [id, body] of devices(file.network)) {
      const own = of(id);
      if (this.byDriver.has(id) && own.some((n) => managed.has(n))) {
        throw new RenderError(
          `${file.path}: device ${id} matches by driver, so hostnet cannot tell whether it takes ${own.filter((n) => managed.has(n)).join(', ')} (managed by hostnet); fix: match it by name or macaddress, or remove it`,
        );
      }
      names.push(...own);
      if (Array.isArray(body.interfaces)) names.push(...body.interfaces.flatMap((i) => of(String(i))));
      if (typeof body.link === 'string') names.push(...of(body.link));
    }
    return names;
  }

  private matched(id: string, match: NonNullable<DeviceBody['match']>): string[] {
    const sets: string[][] = [];
    if (typeof match.name === 'string') sets.push(/[*?[]/.test(match.name) ? this.nics.matching(match.name) : [match.name]);
    if (typeof match.macaddress === 'string') sets.push(this.nics.withMacNowOrPermanent(match.macaddress));
    if (match.driver !== undefined) this.byDriver.add(id);
    if (sets.length === 0) return this.nics.matching('*');
    return sets.reduce((a, b) => a.filter((n) => b.includes(n)));
  }
}
