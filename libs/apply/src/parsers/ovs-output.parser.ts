import type { LiveLink, LiveOvsInterface, LiveOvsPort, LiveState } from '@hostnet/intent';
import { integers, mapOf, oneAtom, optionalAtom, optionalInteger, type OvsdbDatum, parseOvsdbDatum } from './ovsdb-datum.parser';

interface OvsRows {
  bridges: { name: string; parent: string; vlan: number; datapath?: string }[];
  portsOf: Map<string, string[]>;
  ifaceUuids: Map<string, string[]>;
  ifaceName: Map<string, string>;
  portCfg: Map<string, LiveOvsPort>;
  ifaceCfg: Map<string, LiveOvsInterface>;
}

/** The columns the facts script lists (live-state.snippet.ts print_ovs_tables), in its order. */
const PORT_COLUMNS = ['name', 'bond_mode', 'lacp', 'tag', 'other_config', 'trunks', 'vlan_mode', 'external_ids'];
const INTERFACE_COLUMNS = ['name', 'type', 'other_config', 'options', 'external_ids', 'mtu_request'];

/**
 * Parses the facts script's OVS section (`bridge <br> <parent> <vlan> [<datapath_type>]`, `port <br> <port>`,
 * `portrow <name>,<interfaces>`, `iface <uuid>,<name>`, `portcfg <PORT_COLUMNS>`, `ifacecfg <INTERFACE_COLUMNS>`,
 * the tables in ovs-vsctl's CSV of its default data format) into OVS links. Rows without the asked columns (an
 * older or simulated ovs-vsctl) leave the settings unknown rather than wrong; a row with them that does not
 * read as ovs-vsctl prints it is refused, naming the row and column, rather than read in part.
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
      const [name, uuids = ''] = csvFields(tail);
      rows.ifaceUuids.set(atomName(name), uuidList(uuids));
    } else if (tag === 'iface') {
      const [uuid, name] = csvFields(tail);
      if (uuid && name) rows.ifaceName.set(uuid, atomName(name));
    } else if (tag === 'portcfg') {
      const f = csvFields(tail);
      if (f.length === PORT_COLUMNS.length) rows.portCfg.set(...portSettings(cellReader('Port', f, PORT_COLUMNS)));
    } else if (tag === 'ifacecfg') {
      const f = csvFields(tail);
      // an OVS before 2.6 has no mtu_request: the row without it (the MTU it cannot ask for stays unknown)
      const columns = f.length === INTERFACE_COLUMNS.length ? INTERFACE_COLUMNS : f.length === INTERFACE_COLUMNS.length - 1 ? INTERFACE_COLUMNS.slice(0, -1) : undefined;
      if (columns) rows.ifaceCfg.set(...interfaceSettings(cellReader('Interface', f, columns), columns.includes('mtu_request')));
    }
  }
  return rows;
}

type CellReader = <T>(column: string, as: (datum: OvsdbDatum) => T) => T;

/** Reads a row's columns as ovs-vsctl prints them; a cell that does not read refuses the facts, naming row and column. */
function cellReader(table: string, fields: string[], columns: string[]): CellReader {
  return (column, as) => {
    const text = fields[columns.indexOf(column)] ?? '';
    try {
      return as(parseOvsdbDatum(text));
    } catch (error) {
      throw new Error(`facts: OVS ${table} ${fields[0]}, column ${column}: ${JSON.stringify(text)} is not as ovs-vsctl prints it (${(error as Error).message}); nothing was changed`);
    }
  };
}

/** Empty values are absent keys (LiveOvsPort, LiveOvsInterface). */
const given = <K extends string, V>(key: K, value: V | undefined, empty = value === undefined): { [k in K]?: V } =>
  empty ? {} : ({ [key]: value } as { [k in K]: V });
const givenMap = <K extends string>(key: K, map: Record<string, string>) => given(key, map, Object.keys(map).length === 0);

function portSettings(cell: CellReader): [string, LiveOvsPort] {
  const trunks = cell('trunks', integers);
  return [
    cell('name', oneAtom),
    {
      ...given('bondMode', cell('bond_mode', optionalAtom)),
      ...given('lacp', cell('lacp', optionalAtom)),
      ...given('tag', cell('tag', optionalInteger)),
      otherConfig: cell('other_config', mapOf),
      ...given('trunks', trunks, trunks.length === 0),
      ...given('vlanMode', cell('vlan_mode', optionalAtom)),
      ...givenMap('externalIds', cell('external_ids', mapOf)),
    },
  ];
}

function interfaceSettings(cell: CellReader, hasMtuRequest: boolean): [string, LiveOvsInterface] {
  return [
    cell('name', oneAtom),
    {
      type: cell('type', oneAtom),
      otherConfig: cell('other_config', mapOf),
      options: cell('options', mapOf),
      ...givenMap('externalIds', cell('external_ids', mapOf)),
      ...(hasMtuRequest ? given('mtuRequest', cell('mtu_request', optionalInteger)) : {}),
    },
  ];
}

/** A name cell: a JSON-quoted atom when it needs quotes, else as it is (an older or simulated ovs-vsctl's bare name too). */
function atomName(cell: string): string {
  if (!cell.startsWith('"')) return cell;
  try {
    return oneAtom(parseOvsdbDatum(cell));
  } catch {
    return cell;
  }
}

/** An `interfaces` cell: `[u1, u2]` (one in brackets too), or an older or simulated ovs-vsctl's bare `u1 u2`. */
function uuidList(cell: string): string[] {
  return cell.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter(Boolean);
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
