import type { LiveLink, LiveOvsInterface, LiveOvsPort, LiveState } from '@hostnet/intent';

interface OvsRows {
  bridges: { name: string; parent: string; vlan: number; datapath?: string }[];
  portsOf: Map<string, string[]>;
  ifaceUuids: Map<string, string[]>;
  ifaceName: Map<string, string>;
  portCfg: Map<string, LiveOvsPort>;
  ifaceCfg: Map<string, LiveOvsInterface>;
}

/**
 * Parses the facts script's OVS section (`bridge <br> <parent> <vlan> [<datapath_type>]`, `port <br> <port>`,
 * `portrow <name>,<iface uuids>`, `iface <uuid>,<name>`, `portcfg <name>,<bond_mode>,<lacp>,<tag>,<other_config>`,
 * `ifacecfg <name>,<type>,<other_config>[,<options>]`) into OVS links. Rows without the asked columns (an older
 * or simulated ovs-vsctl) leave the settings unknown rather than wrong.
 */
export function parseOvsSection(text: string): LiveLink[] {
  const rows = readRows(text);
  const links: LiveLink[] = [];
  for (const br of rows.bridges) {
    const fake = br.parent !== br.name;
    const members = (rows.portsOf.get(br.name) ?? []).filter((p) => p !== br.name).sort();
    const datapath = br.datapath !== undefined ? { ovsDatapathType: br.datapath } : {};
    links.push(
      fake
        ? { name: br.name, kind: 'ovs-fake-bridge', parent: br.parent, vlanId: br.vlan, members }
        : { name: br.name, kind: 'ovs-bridge', members, ...datapath },
    );
    for (const port of members) {
      const ifaces = (rows.ifaceUuids.get(port) ?? []).map((u) => rows.ifaceName.get(u) ?? u).sort();
      const cfg = withSettings(rows, port);
      if (ifaces.length > 1) {
        links.push({ name: port, kind: 'ovs-bond', master: br.name, members: ifaces, ...cfg });
        for (const iface of ifaces) links.push({ name: iface, kind: 'nic', master: port, ...ifaceSettings(rows, iface) });
      } else {
        links.push({ name: port, kind: 'nic', master: br.name, ...cfg, ...ifaceSettings(rows, port) });
      }
    }
  }
  return links;
}

function readRows(text: string): OvsRows {
  const rows: OvsRows = { bridges: [], portsOf: new Map(), ifaceUuids: new Map(), ifaceName: new Map(), portCfg: new Map(), ifaceCfg: new Map() };
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    const [tag, ...rest] = trimmed.split(' ');
    const tail = trimmed.slice(tag.length + 1);
    if (tag === 'bridge' && rest.length >= 3) {
      const datapath = rest.length >= 4 && rest[3] !== '[]' ? rest[3].replace(/^"(.*)"$/, '$1') : undefined;
      rows.bridges.push({ name: rest[0], parent: rest[1], vlan: Number(rest[2]), ...(datapath !== undefined && rest[1] === rest[0] ? { datapath } : {}) });
    } else if (tag === 'port' && rest.length === 2) {
      rows.portsOf.set(rest[0], [...(rows.portsOf.get(rest[0]) ?? []), rest[1]]);
    } else if (tag === 'portrow') {
      const [name, uuids = ''] = tail.split(',');
      rows.ifaceUuids.set(name, uuids.split(' ').filter(Boolean));
    } else if (tag === 'iface') {
      const [uuid, name] = tail.split(',');
      if (uuid && name) rows.ifaceName.set(uuid, name);
    } else if (tag === 'portcfg') {
      const f = csvFields(tail);
      if (f.length === 5) {
        rows.portCfg.set(f[0], {
          ...(f[1] ? { bondMode: f[1] } : {}),
          ...(f[2] ? { lacp: f[2] } : {}),
          ...(/^\d+$/.test(f[3]) ? { tag: Number(f[3]) } : {}),
          otherConfig: bareMap(f[4]),
        });
      }
    } else if (tag === 'ifacecfg') {
      const f = csvFields(tail);
      if (f.length === 3 || f.length === 4) rows.ifaceCfg.set(f[0], { type: f[1], otherConfig: bareMap(f[2]), ...(f.length === 4 ? { options: bareMap(f[3]) } : {}) });
    }
  }
  return rows;
}

function withSettings(rows: OvsRows, port: string): Pick<LiveLink, 'ovsPort'> {
  const cfg = rows.portCfg.get(port);
  return cfg ? { ovsPort: cfg } : {};
}

function ifaceSettings(rows: OvsRows, iface: string): Pick<LiveLink, 'ovsInterface'> {
  const cfg = rows.ifaceCfg.get(iface);
  return cfg ? { ovsInterface: cfg } : {};
}

/** ovs-vsctl's CSV: fields with a comma or quote are double-quoted, quotes doubled. */
function csvFields(text: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i += 1;
    } else if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) {
      out.push(field);
      field = '';
    } else field += c;
  }
  out.push(field);
  return out;
}

/** `--data=bare` map: `k=v k2=v2`. */
function bareMap(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of text.split(' ').filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq > 0) out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

/** Overlays OVS links on the `ip` view: OVS knows masters and bridge kinds that `ip` cannot show. */
export function mergeOvsLinks(ip: LiveState, ovs: LiveLink[]): LiveState {
  const byName = new Map(ip.links.map((l) => [l.name, { ...l }]));
  for (const o of ovs) {
    const seen = byName.get(o.name);
    const merged: LiveLink = { ...(seen ?? {}), ...o };
    if (seen?.up !== undefined) merged.up = seen.up;
    if (o.kind === 'nic' && seen && seen.kind !== 'nic') merged.kind = seen.kind;
    byName.set(o.name, merged);
  }
  return { ...ip, links: [...byName.values()] };
}
