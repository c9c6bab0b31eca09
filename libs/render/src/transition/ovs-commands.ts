import type { LiveLink, LiveOvsBridge, LiveOvsInterface, LiveOvsPort } from '@hostnet/intent/domain/live-state';
import { type HeldOvsColumn, InvalidIntentValueError, OvsBridgeNotRestorableError, OvsPortNotRestorableError } from '../domain/render-errors';
import { assertIfName, assertInt, assertMacAddress, assertOneOf } from '../validation/render-guard';
import type { LiveOvsPortRow } from './ovs-live-model';

/** One ovs-vsctl command (its words, without the `--` separators). */
export type OvsCommand = string[];

/** Several commands in ONE ovs-vsctl transaction: all of them happen, or none. */
export function ovsTransaction(commands: OvsCommand[]): string[] {
  return ['ovs-vsctl', ...commands.flatMap((c, i) => (i === 0 ? c : ['--', ...c]))];
}

/**
 * An atom ovs-vsctl reads bare anywhere. Not a `:`: `column:key=value` ends a key there, and a string column
 * (`mac=02:00:…`) refuses it bare, though a map's value takes it.
 */
const PLAIN = /^[A-Za-z0-9_./@+-]+$/;

/**
 * An ovs-vsctl atom: bare when plain, else a double-quoted string (ovs-vsctl's own syntax, JSON's escapes),
 * DEL escaped too: a step's argv may hold no control character.
 */
function atom(value: string): string {
  return PLAIN.test(value) ? value : JSON.stringify(value).replace(/\u007f/g, '\\u007f');
}

/** `column:k=v …` words for a recorded map (nothing when empty). */
function mapWords(column: string, map: Record<string, string>): string[] {
  return Object.keys(map)
    .sort()
    .map((k) => `${column}:${atom(k)}=${atom(map[k])}`);
}

/** OVS's Port vlan_mode values, and Bridge fail_mode and protocols values (vswitch.ovsschema). */
const VLAN_MODES = ['access', 'native-tagged', 'native-untagged', 'trunk', 'dot1q-tunnel'];
const FAIL_MODES = ['standalone', 'secure'];
const OPENFLOW_VERSIONS = ['OpenFlow10', 'OpenFlow11', 'OpenFlow12', 'OpenFlow13', 'OpenFlow14', 'OpenFlow15'];
/** A datapath type as OVS names them (`system`, `netdev`, `dummy`…): the schema allows any string, hostnet only a name. */
const DATAPATH_TYPE = /^[A-Za-z0-9_-]{1,32}$/;

/** The largest value ovs-vswitchd holds in a delay (ms, an int) and in an ingress policing rate or burst (a uint32). */
const INT_MAX = 2147483647;
const UINT32_MAX = 4294967295;

/**
 * Commands that recreate a port exactly as facts recorded it (bridge, interfaces, Port and Interface
 * settings). Everything comes from the host, so it is checked like any intent value: names as interface
 * names, numbers and enums against OVS's own ranges; one that fails refuses the plan, naming the field.
 * A row holding what no command could give back (a QoS row, BFD, a column facts do not know) refuses the
 * plan too, naming the port, the column and the fix.
 */
export function recreatePort(row: LiveOvsPortRow, ifaces: Map<string, LiveOvsInterface>): OvsCommand[] {
  refuseUnrestorable(row, ifaces);
  const field = `live OVS port ${row.name}`;
  assertIfName(field, row.name);
  assertIfName(`${field}.bridge`, row.bridge);
  row.ifaces.forEach((i) => assertIfName(`${field}.interfaces`, i));
  const add = row.ifaces.length > 1 ? ['add-bond', row.bridge, row.name, ...row.ifaces] : ['add-port', row.bridge, row.name];
  const commands: OvsCommand[] = [add];
  const portWords = row.settings ? portSettingWords(field, row.settings) : [];
  if (portWords.length > 0) commands.push(['set', 'port', row.name, ...portWords]);
  for (const name of row.ifaces) {
    const iface = ifaces.get(name);
    const words = iface ? interfaceSettingWords(`live OVS interface ${name}`, iface) : [];
    if (words.length > 0) commands.push(['set', 'interface', name, ...words]);
  }
  return commands;
}

const held = (table: HeldOvsColumn['table'], name: string, columns: Record<string, string> | undefined): HeldOvsColumn[] =>
  Object.keys(columns ?? {})
    .sort()
    .map((column) => ({ table, row: name, column, value: (columns as Record<string, string>)[column] }));

function refuseUnrestorable(row: LiveOvsPortRow, ifaces: Map<string, LiveOvsInterface>): void {
  const all = [...held('port', row.name, row.settings?.unrestorable), ...row.ifaces.flatMap((i) => held('interface', i, ifaces.get(i)?.unrestorable))];
  if (all.length > 0) throw new OvsPortNotRestorableError(row.name, all);
}

/**
 * Commands that recreate a bridge the run deletes (retired, or a fake bridge it moves) as facts recorded it: a
 * real bridge with its Bridge row's settings, a fake bridge on its parent and VLAN, and either with its own
 * port's and internal interface's settings. Checked as recreatePort's are; a row holding what no command
 * could give back (a controller, mirrors, NetFlow, sFlow, IPFIX, a QoS on its port, a column facts do not
 * know) refuses the plan, naming the bridge, the column and the fix. A bridge whose Bridge row facts could
 * not read comes back with its datapath type only.
 */
export function recreateBridge(bridge: LiveLink): OvsCommand[] {
  const all = [...held('bridge', bridge.name, bridge.ovsBridge?.unrestorable), ...held('port', bridge.name, bridge.ovsPort?.unrestorable), ...held('interface', bridge.name, bridge.ovsInterface?.unrestorable)];
  if (all.length > 0) throw new OvsBridgeNotRestorableError(bridge.name, all);
  const field = `live OVS bridge ${bridge.name}`;
  assertIfName(field, bridge.name);
  const commands: OvsCommand[] = [];
  if (bridge.kind === 'ovs-fake-bridge') {
    const vlan = assertInt(`${field}.vlan`, bridge.vlanId, 1, 4095);
    commands.push(['--may-exist', 'add-br', bridge.name, assertIfName(`${field}.parent`, bridge.parent), String(vlan)]);
  } else {
    commands.push(['--may-exist', 'add-br', bridge.name]);
    const words = bridge.ovsBridge ? bridgeSettingWords(field, bridge.ovsBridge) : datapathWords(field, bridge.ovsDatapathType);
    if (words.length > 0) commands.push(['set', 'bridge', bridge.name, ...words]);
  }
  const portWords = bridge.ovsPort ? portSettingWords(`live OVS port ${bridge.name}`, bridge.ovsPort) : [];
  if (portWords.length > 0) commands.push(['set', 'port', bridge.name, ...portWords]);
  const ifaceWords = bridge.ovsInterface ? interfaceSettingWords(`live OVS interface ${bridge.name}`, bridge.ovsInterface) : [];
  if (ifaceWords.length > 0) commands.push(['set', 'interface', bridge.name, ...ifaceWords]);
  return commands;
}

/** `datapath_type=X` for a datapath type other than OVS's default (''), checked as a name. */
export function datapathWords(field: string, datapath: string | undefined): string[] {
  if (datapath === undefined || datapath === '') return [];
  if (!DATAPATH_TYPE.test(datapath)) throw new InvalidIntentValueError(`${field}.datapath_type`, `${JSON.stringify(datapath)} is not an OVS datapath type (1-32 of A-Z a-z 0-9 _ -)`);
  return [`datapath_type=${atom(datapath)}`];
}

function bridgeSettingWords(field: string, b: LiveOvsBridge): string[] {
  const protocols = (b.protocols ?? []).map((p, i) => assertOneOf(`${field}.protocols[${i}]`, p, OPENFLOW_VERSIONS));
  const floodVlans = (b.floodVlans ?? []).map((v, i) => assertInt(`${field}.flood_vlans[${i}]`, v, 0, 4095));
  return [
    ...datapathWords(field, b.datapathType),
    ...(b.failMode !== undefined ? [`fail_mode=${assertOneOf(`${field}.fail_mode`, b.failMode, FAIL_MODES)}`] : []),
    ...(b.stpEnable === true ? ['stp_enable=true'] : []),
    ...(b.rstpEnable === true ? ['rstp_enable=true'] : []),
    ...(b.mcastSnoopingEnable === true ? ['mcast_snooping_enable=true'] : []),
    ...(protocols.length > 0 ? [`protocols=${protocols.join(',')}`] : []),
    ...(floodVlans.length > 0 ? [`flood_vlans=${floodVlans.join(',')}`] : []),
    ...mapWords('other_config', b.otherConfig),
    ...mapWords('external_ids', b.externalIds ?? {}),
  ];
}

/** `column=n` for a number OVS holds other than 0, checked against its range. */
function countWord(field: string, column: string, value: number | undefined, min: number, max: number): string[] {
  return value === undefined ? [] : [`${column}=${assertInt(`${field}.${column}`, value, min, max)}`];
}

function portSettingWords(field: string, s: LiveOvsPort): string[] {
  const cvlans = (s.cvlans ?? []).map((v, i) => assertInt(`${field}.cvlans[${i}]`, v, 0, 4095));
  return [
    ...(s.bondMode ? [`bond_mode=${atom(s.bondMode)}`] : []),
    ...(s.lacp ? [`lacp=${atom(s.lacp)}`] : []),
    ...vlanWords(field, s).map(([, word]) => word),
    ...(cvlans.length > 0 ? [`cvlans=${cvlans.join(',')}`] : []),
    ...countWord(field, 'bond_updelay', s.bondUpdelay, 0, INT_MAX),
    ...countWord(field, 'bond_downdelay', s.bondDowndelay, 0, INT_MAX),
    ...(s.bondFakeIface === true ? ['bond_fake_iface=true'] : []),
    ...(s.protected === true ? ['protected=true'] : []),
    ...(s.mac !== undefined ? [`mac=${atom(assertMacAddress(`${field}.mac`, s.mac))}`] : []),
    ...mapWords('other_config', s.otherConfig),
    ...mapWords('external_ids', s.externalIds ?? {}),
  ];
}

/**
 * A recorded port's VLAN columns as `set port` words, each column that holds a value (a tag, a trunks
 * list, a vlan_mode), checked against OVS's own range since it comes from the host.
 */
export function vlanWords(field: string, s: LiveOvsPort): [column: 'tag' | 'trunks' | 'vlan_mode', word: string][] {
  const words: [column: 'tag' | 'trunks' | 'vlan_mode', word: string][] = [];
  if (s.tag !== undefined) words.push(['tag', `tag=${assertInt(`${field}.tag`, s.tag, 0, 4095)}`]);
  const trunks = (s.trunks ?? []).map((t, i) => assertInt(`${field}.trunks[${i}]`, t, 0, 4095));
  if (trunks.length > 0) words.push(['trunks', `trunks=${trunks.join(',')}`]);
  if (s.vlanMode !== undefined) words.push(['vlan_mode', `vlan_mode=${assertOneOf(`${field}.vlan_mode`, s.vlanMode, VLAN_MODES)}`]);
  return words;
}

function interfaceSettingWords(field: string, iface: LiveOvsInterface): string[] {
  return [
    ...(iface.type ? [`type=${atom(iface.type)}`] : []),
    ...mapWords('other_config', iface.otherConfig),
    ...mapWords('options', iface.options ?? {}),
    ...mapWords('external_ids', iface.externalIds ?? {}),
    ...mapWords('lldp', iface.lldp ?? {}),
    ...countWord(field, 'mtu_request', iface.mtuRequest, 68, 65535),
    ...(iface.mac !== undefined ? [`mac=${atom(assertMacAddress(`${field}.mac`, iface.mac))}`] : []),
    ...countWord(field, 'ofport_request', iface.ofportRequest, 1, 65279),
    ...countWord(field, 'ingress_policing_rate', iface.ingressPolicingRate, 0, UINT32_MAX),
    ...countWord(field, 'ingress_policing_burst', iface.ingressPolicingBurst, 0, UINT32_MAX),
    ...countWord(field, 'ingress_policing_kpkts_rate', iface.ingressPolicingKpktsRate, 0, UINT32_MAX),
    ...countWord(field, 'ingress_policing_kpkts_burst', iface.ingressPolicingKpktsBurst, 0, UINT32_MAX),
  ];
}

/** Commands that put one column/key of a row back to a recorded value (absent → cleared/removed). */
export function restoreColumn(table: string, row: string, column: string, value: string | undefined): OvsCommand {
  return value === undefined || value === '' ? ['clear', table, row, column] : ['set', table, row, `${column}=${atom(value)}`];
}

export function restoreKey(table: string, row: string, key: string, value: string | undefined): OvsCommand {
  return value === undefined ? ['remove', table, row, 'other_config', key] : ['set', table, row, `other_config:${atom(key)}=${atom(value)}`];
}

/**
 * The undo's form of a row edit (set, clear, remove): the undo runs in ONE transaction before the restored
 * files are activated, and a port the run's activation deleted (ifdown-ovs del-port) must not fail it whole;
 * that activation makes the port again from the old files, with its old settings.
 */
export function ifExists(command: OvsCommand): OvsCommand {
  return ['--if-exists', ...command];
}
