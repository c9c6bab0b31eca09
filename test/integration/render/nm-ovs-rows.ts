import type { RenderedFile } from '@hostnet/render';

type Keyfile = Map<string, Map<string, string>>;

function parseKeyfile(content: string): Keyfile {
  const sections: Keyfile = new Map();
  let current = new Map<string, string>();
  for (const line of content.split('\n')) {
    const header = /^\[(.+)\]$/.exec(line);
    if (header) sections.set(header[1], (current = new Map()));
    else if (line.includes('=')) current.set(line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1));
  }
  return sections;
}

const otherConfig = (k: Keyfile) => [...(k.get('ovs-other-config') ?? new Map())].map(([key, v]) => `other_config:${key.replace(/^data\./, '')}=${v}`);

/**
 * The Bridge/Port/Interface rows NetworkManager's OVS plugin inserts for the keyfiles (nm-ovsdb.c:
 * a bridge, each ovs-port in the bridge its `master` uuid names, the ovs-interface and ethernet
 * profiles whose `master` is that port as its interfaces), as ovs-vsctl command lines, bridges first.
 * A `master` naming no profile fails here, as NetworkManager would never activate that port.
 */
export function nmOvsCommands(files: RenderedFile[]): string[][] {
  const profiles = files.filter((f) => f.path.endsWith('.nmconnection')).map((f) => parseKeyfile(f.content));
  const conn = (k: Keyfile, key: string) => k.get('connection')?.get(key);
  const byUuid = new Map(profiles.map((k) => [conn(k, 'uuid'), k]));
  const ofType = (type: string) => profiles.filter((k) => conn(k, 'type') === type);
  const name = (k: Keyfile) => conn(k, 'interface-name') as string;
  const bridges = ofType('ovs-bridge').map((k) => {
    const datapath = k.get('ovs-bridge')?.get('datapath-type');
    return ['--may-exist', 'add-br', name(k), ...(datapath ? ['--', 'set', 'bridge', name(k), `datapath_type=${datapath}`] : [])];
  });
  const ports = ofType('ovs-port').flatMap((port) => {
    const bridge = byUuid.get(conn(port, 'master'));
    if (!bridge) throw new Error(`${conn(port, 'id')}: master ${conn(port, 'master')} is no profile`);
    const ifaces = profiles.filter((k) => conn(k, 'master') === conn(port, 'uuid'));
    const settings = port.get('ovs-port') ?? new Map<string, string>();
    const columns = [['bond-mode', 'bond_mode'], ['lacp', 'lacp'], ['tag', 'tag']].flatMap(([key, column]) => (settings.has(key) ? [`${column}=${settings.get(key)}`] : []));
    const add = ifaces.length > 1 ? ['add-bond', name(bridge), name(port), ...ifaces.map(name)] : ['add-port', name(bridge), name(port)];
    const ifaceSets = ifaces.map((k) => {
      const type = k.get('ovs-interface')?.get('type') === 'internal' ? ['type=internal'] : [];
      const mtu = k.get('ethernet')?.get('mtu');
      return ['set', 'interface', name(k), ...type, ...(mtu ? [`mtu_request=${mtu}`] : []), ...otherConfig(k)];
    });
    const portSet = [...columns, ...otherConfig(port)];
    const setPort = portSet.length > 0 ? ['set', 'port', name(port), ...portSet] : [];
    // A bridge's own port: add-br made that Port and its internal Interface already.
    const create = name(port) === name(bridge) ? (setPort.length > 0 ? [setPort] : []) : [['--may-exist', ...add, ...(setPort.length > 0 ? ['--', ...setPort] : [])]];
    return [...create, ...ifaceSets.filter((c) => c.length > 3)];
  });
  return [...bridges, ...ports];
}
