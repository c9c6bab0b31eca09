import type { LiveLink, LiveOvsBridge, LiveOvsInterface, LiveOvsPort, LiveState } from '@hostnet/intent';
import { atoms, flag, integers, mapOf, oneAtom, optionalAtom, optionalInteger, type OvsdbDatum, parseOvsdbDatum } from './ovsdb-datum.parser';

interface OvsRows {
  bridges: { name: string; parent: string; vlan: number }[];
  portsOf: Map<string, string[]>;
  ifaceUuids: Map<string, string[]>;
  ifaceName: Map<string, string>;
  portCfg: Map<string, LiveOvsPort>;
  ifaceCfg: Map<string, LiveOvsInterface>;
  bridgeCfg: Map<string, LiveOvsBridge>;
}

/**
 * The Bridge, Port and Interface columns facts read by name from the whole rows print_ovs_tables lists (an OVS has
 * the columns of its version; the heading says which). `settings` are the columns a row's settings are known
 * by (OVS has had them since before 2.0: a row without them, from a simulated ovs-vsctl, leaves its settings
 * unknown); `restored` the others an undo gives back, when this OVS has them; `ignored` what ovs-vswitchd
 * writes (status, statistics, the ofport it chose, sessions' state), which no undo sets, and a fake bridge's
 * own port's mark (facts see a bridge there, never a port a run removes), a bridge's ports (the port plan
 * and `add-br`'s own port give them back). Any other column that holds a value is `unrestorable`: a run that
 * would delete the port or bridge refuses.
 */
const BRIDGE = {
  settings: ['name', 'datapath_type', 'fail_mode', 'other_config', 'external_ids'],
  restored: ['stp_enable', 'rstp_enable', 'mcast_snooping_enable', 'protocols', 'flood_vlans'],
  ignored: ['_uuid', 'ports', 'datapath_id', 'datapath_version', 'rstp_status', 'status'],
};
const PORT = {
  settings: ['name', 'interfaces', 'bond_mode', 'lacp', 'tag', 'other_config', 'trunks', 'vlan_mode', 'external_ids'],
  restored: ['bond_updelay', 'bond_downdelay', 'bond_fake_iface', 'mac', 'cvlans', 'protected'],
  ignored: ['_uuid', 'bond_active_slave', 'fake_bridge', 'rstp_statistics', 'rstp_status', 'statistics', 'status'],
};
const INTERFACE = {
  settings: ['_uuid', 'name', 'type', 'other_config', 'options', 'external_ids'],
  restored: ['mtu_request', 'mac', 'ofport_request', 'ingress_policing_rate', 'ingress_policing_burst', 'ingress_policing_kpkts_rate', 'ingress_policing_kpkts_burst', 'lldp'],
  ignored: [
    'admin_state', 'bfd_status', 'cfm_fault', 'cfm_fault_status', 'cfm_flap_count', 'cfm_health', 'cfm_remote_mpids', 'cfm_remote_opstate', 'duplex', 'error',
    'ifindex', 'lacp_current', 'link_resets', 'link_speed', 'link_state', 'mac_in_use', 'mtu', 'ofport', 'statistics', 'status',
  ],
};

/**
 * A cell that holds its type's default (OVSDB has no other: 0, false, "", an empty set or map), as ovs-vsctl
 * prints it: a column at its default is the column a fresh row has, so it needs no restoring, known or not.
 */
const DEFAULT_CELLS = new Set(['[]', '{}', '""', '0', '0.0', 'false', '00000000-0000-0000-0000-000000000000']);

/**
 * Parses the facts script's OVS section (`bridge <br> <parent> <vlan>`, `port <br> <port>`,
 * and the whole Bridge, Port and Interface tables, each table's first line its heading, in ovs-vsctl's CSV of its
 * default data format: after an `ovstables` line as ovs-vsctl printed them, a blank line before each after the first,
 * or as `ovsbridge`, `ovsport` and `ovsiface` lines) into OVS links. A table without the settings
 * columns (a simulated ovs-vsctl) leaves the settings unknown rather than wrong; a row with them that does not
 * read as ovs-vsctl prints it is refused, naming the row and column, rather than read in part.
 */
export function parseOvsSection(text: string): LiveLink[] {
  const rows = readRows(text);
  const links: LiveLink[] = [];
  for (const br of rows.bridges) {
    const fake = br.parent !== br.name;
    const members = (rows.portsOf.get(br.name) ?? []).filter((p) => p !== br.name).sort();
    // its own port and internal interface: a bridge an undo recreates gets their settings back too
    const own = { ...withSettings(rows, br.name), ...ifaceSettings(rows, br.name) };
    const bridgeRow = rows.bridgeCfg.get(br.name);
    const datapath = bridgeRow ? { ovsDatapathType: bridgeRow.datapathType } : {};
    links.push(
      fake
        ? { name: br.name, kind: 'ovs-fake-bridge', parent: br.parent, vlanId: br.vlan, members, ...own }
        : { name: br.name, kind: 'ovs-bridge', members, ...datapath, ...(bridgeRow ? { ovsBridge: bridgeRow } : {}), ...own },
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

/** The tables print_ovs_tables lists, in order, when it prints ovs-vsctl's answer as it came. */
const VERBATIM_TABLES = ['ovsbridge', 'ovsport', 'ovsiface'] as const;

function readRows(text: string): OvsRows {
  const rows: OvsRows = { bridges: [], portsOf: new Map(), ifaceUuids: new Map(), ifaceName: new Map(), portCfg: new Map(), ifaceCfg: new Map(), bridgeCfg: new Map() };
  const tables: Record<'ovsbridge' | 'ovsport' | 'ovsiface', string[][]> = { ovsbridge: [], ovsport: [], ovsiface: [] };
  // inside the `ovstables` block: which table the lines are rows of (a blank line before each after the first)
  let verbatim: number | undefined;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (verbatim !== undefined) {
      if (trimmed === '') verbatim += 1;
      else if (verbatim < VERBATIM_TABLES.length) tables[VERBATIM_TABLES[verbatim]].push(csvFields(trimmed));
      else throw new Error(`facts: the OVS section holds more tables than the ${VERBATIM_TABLES.length} facts list; nothing was changed`);
      continue;
    }
    if (trimmed === 'ovstables') {
      verbatim = 0;
      continue;
    }
    const [tag, ...rest] = trimmed.split(' ');
    if (tag === 'bridge' && rest.length >= 3) {
      rows.bridges.push({ name: rest[0], parent: rest[1], vlan: Number(rest[2]) });
    } else if (tag === 'port' && rest.length === 2) {
      rows.portsOf.set(rest[0], [...(rows.portsOf.get(rest[0]) ?? []), rest[1]]);
    } else if (tag === 'ovsbridge' || tag === 'ovsport' || tag === 'ovsiface') {
      tables[tag].push(csvFields(trimmed.slice(tag.length + 1)));
    }
  }
  const [bridgeHeading = [], ...bridges] = tables.ovsbridge;
  if (BRIDGE.settings.every((c) => bridgeHeading.includes(c))) {
    for (const f of bridges) {
      const name = atomName(f[bridgeHeading.indexOf('name')] ?? '');
      rows.bridgeCfg.set(name, readBridge(cellReader('Bridge', name, f, bridgeHeading)));
    }
  }
  const [portHeading = [], ...ports] = tables.ovsport;
  const portSettings = PORT.settings.every((c) => portHeading.includes(c));
  for (const f of ports) {
    const at = (column: string) => f[portHeading.indexOf(column)] ?? '';
    const name = atomName(at('name'));
    rows.ifaceUuids.set(name, uuidList(at('interfaces')));
    if (portSettings) rows.portCfg.set(name, readPort(cellReader('Port', name, f, portHeading)));
  }
  const [ifaceHeading = [], ...ifaces] = tables.ovsiface;
  const ifaceSettings = INTERFACE.settings.every((c) => ifaceHeading.includes(c));
  for (const f of ifaces) {
    const at = (column: string) => f[ifaceHeading.indexOf(column)] ?? '';
    const name = atomName(at('name'));
    if (at('_uuid') && name) rows.ifaceName.set(at('_uuid'), name);
    if (ifaceSettings) rows.ifaceCfg.set(name, readInterface(cellReader('Interface', name, f, ifaceHeading)));
  }
  return rows;
}

interface CellReader {
  /** The column's value read by `as`; undefined when this OVS has no such column. */
  <T>(column: string, as: (datum: OvsdbDatum) => T): T | undefined;
  /** The columns outside `known` that hold a value, as ovs-vsctl prints them. */
  others(known: { settings: string[]; restored: string[]; ignored: string[] }): Record<string, string>;
}

/** Reads a row's columns as ovs-vsctl prints them; a cell that does not read refuses the facts, naming row and column. */
function cellReader(table: string, row: string, fields: string[], heading: string[]): CellReader {
  const cell = <T>(column: string, as: (datum: OvsdbDatum) => T): T | undefined => {
    const i = heading.indexOf(column);
    if (i < 0) return undefined;
    const text = fields[i] ?? '';
    try {
      return as(parseOvsdbDatum(text));
    } catch (error) {
      throw new Error(`facts: OVS ${table} ${row}, column ${column}: ${JSON.stringify(text)} is not as ovs-vsctl prints it (${(error as Error).message}); nothing was changed`);
    }
  };
  cell.others = (known: { settings: string[]; restored: string[]; ignored: string[] }) => {
    const skip = new Set([...known.settings, ...known.restored, ...known.ignored]);
    const held = heading.map((column, i) => [column, fields[i] ?? ''] as const).filter(([column, text]) => !skip.has(column) && !DEFAULT_CELLS.has(text));
    return Object.fromEntries(held);
  };
  return cell;
}

/** Empty values are absent keys (LiveOvsPort, LiveOvsInterface). */
const given = <K extends string, V>(key: K, value: V | undefined, empty = value === undefined): { [k in K]?: V } =>
  empty ? {} : ({ [key]: value } as { [k in K]: V });
const givenMap = <K extends string>(key: K, map: Record<string, string> | undefined) => given(key, map, map === undefined || Object.keys(map).length === 0);
const givenList = <K extends string>(key: K, list: number[] | undefined) => given(key, list, list === undefined || list.length === 0);
const givenCount = <K extends string>(key: K, n: number | undefined) => given(key, n, n === undefined || n === 0);
const givenTrue = <K extends string>(key: K, on: boolean | undefined) => given(key, true as const, on !== true);

const givenStrings = <K extends string>(key: K, list: string[] | undefined) => given(key, list, list === undefined || list.length === 0);

function readBridge(cell: CellReader): LiveOvsBridge {
  return {
    datapathType: cell('datapath_type', oneAtom) ?? '',
    ...given('failMode', cell('fail_mode', optionalAtom)),
    ...givenTrue('stpEnable', cell('stp_enable', flag)),
    ...givenTrue('rstpEnable', cell('rstp_enable', flag)),
    ...givenTrue('mcastSnoopingEnable', cell('mcast_snooping_enable', flag)),
    ...givenStrings('protocols', cell('protocols', atoms)),
    ...givenList('floodVlans', cell('flood_vlans', integers)),
    otherConfig: cell('other_config', mapOf) ?? {},
    ...givenMap('externalIds', cell('external_ids', mapOf)),
    ...givenMap('unrestorable', cell.others(BRIDGE)),
  };
}

function readPort(cell: CellReader): LiveOvsPort {
  return {
    ...given('bondMode', cell('bond_mode', optionalAtom)),
    ...given('lacp', cell('lacp', optionalAtom)),
    ...given('tag', cell('tag', optionalInteger)),
    otherConfig: cell('other_config', mapOf) ?? {},
    ...givenList('trunks', cell('trunks', integers)),
    ...given('vlanMode', cell('vlan_mode', optionalAtom)),
    ...givenMap('externalIds', cell('external_ids', mapOf)),
    ...givenCount('bondUpdelay', cell('bond_updelay', optionalInteger)),
    ...givenCount('bondDowndelay', cell('bond_downdelay', optionalInteger)),
    ...givenTrue('bondFakeIface', cell('bond_fake_iface', flag)),
    ...given('mac', cell('mac', optionalAtom)),
    ...givenList('cvlans', cell('cvlans', integers)),
    ...givenTrue('protected', cell('protected', flag)),
    ...givenMap('unrestorable', cell.others(PORT)),
  };
}

function readInterface(cell: CellReader): LiveOvsInterface {
  return {
    type: cell('type', oneAtom) ?? '',
    otherConfig: cell('other_config', mapOf) ?? {},
    options: cell('options', mapOf) ?? {},
    ...givenMap('externalIds', cell('external_ids', mapOf)),
    // an OVS before 2.6 has no mtu_request: the MTU it cannot ask for stays unknown
    ...given('mtuRequest', cell('mtu_request', optionalInteger)),
    ...given('mac', cell('mac', optionalAtom)),
    ...given('ofportRequest', cell('ofport_request', optionalInteger)),
    ...givenCount('ingressPolicingRate', cell('ingress_policing_rate', optionalInteger)),
    ...givenCount('ingressPolicingBurst', cell('ingress_policing_burst', optionalInteger)),
    ...givenCount('ingressPolicingKpktsRate', cell('ingress_policing_kpkts_rate', optionalInteger)),
    ...givenCount('ingressPolicingKpktsBurst', cell('ingress_policing_kpkts_burst', optionalInteger)),
    ...givenMap('lldp', cell('lldp', mapOf)),
    ...givenMap('unrestorable', cell.others(INTERFACE)),
  };
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
