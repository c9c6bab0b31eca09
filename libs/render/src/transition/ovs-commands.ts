import type { LiveOvsInterface, LiveOvsPort } from '@hostnet/intent/domain/live-state';
import { assertIfName } from '../validation/render-guard';
import type { LiveOvsPortRow } from './ovs-live-model';

/** One ovs-vsctl command (its words, without the `--` separators). */
export type OvsCommand = string[];

/** Several commands in ONE ovs-vsctl transaction: all of them happen, or none. */
export function ovsTransaction(commands: OvsCommand[]): string[] {
  return ['ovs-vsctl', ...commands.flatMap((c, i) => (i === 0 ? c : ['--', ...c]))];
}

const PLAIN = /^[A-Za-z0-9_.:/@+-]+$/;

/** An ovs-vsctl atom: bare when plain, else a double-quoted string (ovs-vsctl's own syntax). */
function atom(value: string): string {
  return PLAIN.test(value) ? value : JSON.stringify(value);
}

/** `set <table> <name> other_config:k=v …` words for a recorded map (nothing when empty). */
function otherConfigWords(map: Record<string, string>): string[] {
  return Object.keys(map)
    .sort()
    .map((k) => `other_config:${atom(k)}=${atom(map[k])}`);
}

/**
 * Commands that recreate a port exactly as facts recorded it (bridge, interfaces, Port and
 * Interface settings); names come from the host, so they are checked like any intent name.
 */
export function recreatePort(row: LiveOvsPortRow, ifaces: Map<string, LiveOvsInterface>): OvsCommand[] {
  const field = `live OVS port ${row.name}`;
  assertIfName(field, row.name);
  assertIfName(`${field}.bridge`, row.bridge);
  row.ifaces.forEach((i) => assertIfName(`${field}.interfaces`, i));
  const add = row.ifaces.length > 1 ? ['add-bond', row.bridge, row.name, ...row.ifaces] : ['add-port', row.bridge, row.name];
  const commands: OvsCommand[] = [add];
  const portWords = row.settings ? portSettingWords(row.settings) : [];
  if (portWords.length > 0) commands.push(['set', 'port', row.name, ...portWords]);
  for (const name of row.ifaces) {
    const iface = ifaces.get(name);
    const words = iface ? [...(iface.type ? [`type=${atom(iface.type)}`] : []), ...otherConfigWords(iface.otherConfig), ...optionWords(iface.options ?? {})] : [];
    if (words.length > 0) commands.push(['set', 'interface', name, ...words]);
  }
  return commands;
}

/** `options:k=v` words (a patch port's peer) for a recorded Interface options map. */
function optionWords(map: Record<string, string>): string[] {
  return Object.keys(map)
    .sort()
    .map((k) => `options:${atom(k)}=${atom(map[k])}`);
}

function portSettingWords(s: LiveOvsPort): string[] {
  return [
    ...(s.bondMode ? [`bond_mode=${atom(s.bondMode)}`] : []),
    ...(s.lacp ? [`lacp=${atom(s.lacp)}`] : []),
    ...(s.tag !== undefined ? [`tag=${s.tag}`] : []),
    ...otherConfigWords(s.otherConfig),
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
