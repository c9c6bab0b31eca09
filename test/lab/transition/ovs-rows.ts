/**
 * The Open vSwitch database of a lab host as comparable rows: every Bridge, Port and Interface by
 * name with the columns a transition and its undo may change, references turned from uuids into
 * names (a recreated row has a new uuid but must otherwise be the same).
 */
export const OVS_ROWS_COMMAND = [
  'ovs-vsctl -f json --columns=_uuid,name,ports,datapath_type,fail_mode,other_config list bridge',
  'ovs-vsctl -f json --columns=_uuid,name,interfaces,bond_mode,lacp,other_config,tag,trunks,vlan_mode,external_ids list port',
  'ovs-vsctl -f json --columns=_uuid,name,type,other_config,options,external_ids,mtu_request list interface',
].join('; ');

type Json = unknown;
interface OvsTable {
  headings: string[];
  data: Json[][];
}

export type OvsRows = Record<'bridge' | 'port' | 'interface', Record<string, Record<string, Json>>>;

export function parseOvsRows(output: string): OvsRows {
  const [bridge, port, iface] = output.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as OvsTable);
  const names = new Map<string, string>();
  for (const table of [bridge, port, iface]) {
    const uuid = table.headings.indexOf('_uuid');
    const name = table.headings.indexOf('name');
    for (const row of table.data) names.set((row[uuid] as [string, string])[1], row[name] as string);
  }
  const atom = (v: Json): Json => (Array.isArray(v) && v[0] === 'uuid' ? names.get(v[1] as string) ?? v[1] : v);
  const value = (v: Json): Json => {
    if (!Array.isArray(v)) return v;
    if (v[0] === 'set') return (v[1] as Json[]).map(atom).map(String).sort();
    if (v[0] === 'map') return Object.fromEntries([...(v[1] as [string, Json][])].sort((a, b) => a[0].localeCompare(b[0])));
    return atom(v);
  };
  const byName = (table: OvsTable): Record<string, Record<string, Json>> => {
    const out: Record<string, Record<string, Json>> = {};
    for (const row of table.data) {
      const cols: Record<string, Json> = {};
      table.headings.forEach((h, i) => {
        if (h !== '_uuid') cols[h] = value(row[i]);
      });
      out[cols.name as string] = cols;
    }
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
  };
  return { bridge: byName(bridge), port: byName(port), interface: byName(iface) };
}
