import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LeanHostDir } from './lean-host-dir';

/** The lean model cannot answer this exactly as the scripts would: the command goes to them instead. */
export class LeanDecline extends Error {}

function cached(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new LeanDecline(`no cached answer ${file}`);
  }
}

/** `$(…)`: the answer without its trailing newlines. */
const substituted = (text: string): string => text.replace(/\n+$/, '');

/** `sec NAME` of live-state.snippet.ts. */
export const section = (name: string): string => `\n@@hostnet:${name}\n`;

/** print_file: every line with its newline, a last line without one too. */
export function printFile(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return '';
  }
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}

/**
 * print_live (live-state.snippet.ts) from the answers the simulated host's ip and ovs-vsctl serve from
 * their caches (.sim/ip-cache, .sim/ovs-cache: the same bytes the scripts' `ip` and `ovs-vsctl` print).
 */
export function printLive(host: LeanHostDir): string {
  return liveNetwork(host) + stateSection(host);
}

/** print_live's network sections (ip and OVS); declines where the script would ask the tools otherwise. */
export function liveNetwork(host: LeanHostDir): string {
  const sim = join(host.rootDir, '.sim');
  let out = section('ip-link') + ipSections(join(sim, 'ip-cache'));
  if (existsSync(join(sim, 'bin/ovs-vsctl'))) {
    const ovs = join(sim, 'ovs-cache');
    const bridges = substituted(cached(join(ovs, 'list-br'))).split(/\s+/).filter(Boolean);
    out += section('ovs') + ovsBridges(ovs, bridges) + ovsTables(ovs);
  }
  return out;
}

/**
 * print_live's ip sections after its `sec ip-link`, as the ip wrapper answers them (ip-cache.sh): its JSON, or
 * when the host's ip has none (CentOS 7's iproute2 4.11) nothing from the refused `ip -j` and the text forms.
 */
function ipSections(cache: string): string {
  if (existsSync(join(cache, 'link-d.json'))) {
    return cached(join(cache, 'link-d.json')) + section('ip-addr') + cached(join(cache, 'addr.json')) + section('ip-route') + cached(join(cache, 'route.json'));
  }
  if (!existsSync(join(cache, 'version.txt'))) throw new LeanDecline(`no cached answer in ${cache}`);
  return (
    section('ip-version') + cached(join(cache, 'version.txt')) +
    section('ip-text-link') + cached(join(cache, 'link-d-o.txt')) +
    section('ip-text-addr') + cached(join(cache, 'addr-o.txt')) +
    section('ip-text-route') + cached(join(cache, 'route-4.txt'))
  );
}

/** print_live's last section: state.json as it is now. */
export function stateSection(host: LeanHostDir): string {
  return section('state') + printFile(join(host.stateDir, 'state.json'));
}

/** print_ovs_bridges after a chain that reads: 'bridge B parent vlan' and its 'port B P' lines. */
function ovsBridges(ovs: string, bridges: string[]): string {
  if (bridges.length === 0) return '';
  const names = new Set(bridges);
  const rows = bridges.map((bridge) => {
    const parent = substituted(cached(join(ovs, `br-to-parent.${bridge}`)));
    const vlan = substituted(cached(join(ovs, `br-to-vlan.${bridge}`)));
    const ports = substituted(cached(join(ovs, `list-ports.${bridge}`))).split('\n').filter((p) => p !== '');
    if (!names.has(parent) || !/^\d+$/.test(vlan) || ports.some((p) => names.has(p) || /\s/.test(p))) throw new LeanDecline('an OVS answer the chain would not read');
    return { bridge, parent, vlan, ports };
  });
  let out = '';
  for (const row of rows) {
    out += `bridge ${row.bridge} ${row.parent} ${row.vlan}\n`;
    for (const port of row.ports) out += `port ${row.bridge} ${port}\n`;
  }
  return out;
}

/**
 * print_ovs_tables: the chained answer as it came after an `ovstables` line when it holds the blank lines
 * between its three tables; else the three reads one by one, each line after its table's word (their answers
 * are the same cached files).
 */
function ovsTables(ovs: string): string {
  const answer = substituted(cached(join(ovs, 'rows.tables')));
  if (answer.split('\n\n').length >= 3) return `ovstables\n${answer}\n`;
  return ['bridge', 'port', 'interface'].map((table) => prefixLines(`ovs${table === 'interface' ? 'iface' : table}`, cached(join(ovs, `rows.${table}`)))).join('');
}

/** prefix_lines WORD: every line (a last one without its newline too) after WORD and a space. */
function prefixLines(word: string, text: string): string {
  if (text === '') return '';
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  return lines.map((line) => `${word} ${line}\n`).join('');
}
