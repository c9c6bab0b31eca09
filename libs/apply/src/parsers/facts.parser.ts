import type { LiveState } from '@hostnet/intent';
import type { HostFacts, HostFile, HostRunPhase, HostRunState } from '../domain/host-facts';
import { type IpAddrJson, type IpLinkJson, type IpRouteJson, parseIpJson } from './ip-json.parser';
import { mergeOvsLinks, parseOvsSection } from './ovs-output.parser';
import { parseJsonSection, parseSections } from './sectioned-output.parser';

const PHASES: HostRunPhase[] = ['armed', 'rolling-back', 'rolled-back', 'applied'];

/** Parses the facts script's output; throws naming the problem when the output is cut short. */
export function parseFacts(output: string): HostFacts {
  const sections = parseSections(output);
  if (!sections.has('end')) throw new Error('facts output is incomplete (no end marker): the host script stopped early');
  const flags = keyValues(sections.get('flags') ?? '', ' ');
  const files = new Map<string, HostFile>();
  for (const line of lines(sections.get('files'))) {
    // the path is the rest of the line: a NetworkManager file name may hold spaces (HOST_PATH)
    const [sha256, size, mode, ...rest] = line.split(' ');
    const path = hostPath(rest.join(' '));
    if (sha256 && path) files.set(path, { path, sha256, size: Number(size), mode: parseInt(mode, 8) });
  }
  for (const [name, body] of sections) {
    if (!name.startsWith('content ')) continue;
    const file = files.get(hostPath(name.slice('content '.length)));
    if (file) file.content = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  const ovsText = sections.get('ovs');
  return {
    osRelease: parseOsRelease(sections.get('os-release') ?? ''),
    tools: keyValues(sections.get('tools') ?? '', ' '),
    networkScriptsDir: flags['network-scripts-dir'] === '1',
    ifupdown2: flags['ifupdown2'] === '1',
    systemdPid1: flags['systemd-pid1'] === '1',
    nmOvsPlugin: flags['nm-ovs-plugin'] === '1',
    hostNow: Number(flags['now'] ?? 0),
    files,
    live: parseLiveSections(sections),
    ovsPresent: ovsText !== undefined,
    runState: parseRunState(sections.get('state')),
  };
}

/** The live network from the ip/ovs sections shared by the facts and verify outputs. */
export function parseLiveSections(sections: Map<string, string>): LiveState {
  const ip = parseIpJson(
    parseJsonSection<IpLinkJson[]>(sections, 'ip-link', []),
    parseJsonSection<IpAddrJson[]>(sections, 'ip-addr', []),
    parseJsonSection<IpRouteJson[]>(sections, 'ip-route', []),
  );
  const ovsText = sections.get('ovs');
  return ovsText === undefined ? ip : mergeOvsLinks(ip, parseOvsSection(ovsText));
}

/** Parses /var/lib/hostnet/state.json as written by the scripts; undefined when absent or unreadable. */
export function parseRunState(text: string | undefined): HostRunState | undefined {
  if (!text) return undefined;
  let raw: Record<string, string>;
  try {
    raw = JSON.parse(text) as Record<string, string>;
  } catch {
    return undefined;
  }
  const phase = raw.phase as HostRunPhase;
  if (!PHASES.includes(phase) || !raw.runId) return undefined;
  return {
    runId: raw.runId,
    specHash: raw.specHash ?? '',
    phase,
    deadline: Number(raw.deadline ?? 0),
    appliedSpecHash: raw.appliedSpecHash ?? '',
    updatedAt: Number(raw.updatedAt ?? 0),
  };
}

/** A name the on-host valid_path refuses (a newline, a tab, a trailing space) comes hex-encoded (facts.script.ts). */
function hostPath(word: string): string {
  return word.startsWith('hex:') ? Buffer.from(word.slice(4), 'hex').toString('utf8') : word;
}

function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines(text)) {
    const eq = line.indexOf('=');
    if (eq <= 0 || line.startsWith('#')) continue;
    out[line.slice(0, eq)] = line.slice(eq + 1).replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
  }
  return out;
}

function keyValues(text: string, sep: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines(text)) {
    const at = line.indexOf(sep);
    if (at > 0) out[line.slice(0, at)] = line.slice(at + 1);
  }
  return out;
}

function lines(text: string | undefined): string[] {
  return (text ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
}
