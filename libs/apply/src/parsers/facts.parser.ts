import { createHash } from 'node:crypto';
import type { LiveState } from '@hostnet/intent';
import type { HostFacts, HostFile, HostRunPhase, HostRunState, RunStateSeen } from '../domain/host-facts';
import { type IpAddrJson, type IpLinkJson, type IpRouteJson, parseIpJson } from './ip-json.parser';
import { parseIpText } from './ip-text.parser';
import { parseJournal } from './journal.parser';
import { mergeOvsLinks, parseOvsSection } from './ovs-output.parser';
import { parseJsonSection, parseSections } from './sectioned-output.parser';
import { FACT_CONTENT_LIMIT } from '../scripts/facts.script';

const PHASES: HostRunPhase[] = ['armed', 'rolling-back', 'rolled-back', 'applied'];

/** Parses the facts script's output; throws naming the problem when the output is cut short. */
export function parseFacts(output: string): HostFacts {
  const sections = parseSections(output);
  if (!sections.has('end')) throw new Error('facts output is incomplete (no end marker): the host script stopped early');
  const flags = keyValues(sections.get('flags') ?? '', ' ');
  const files = new Map<string, HostFile>();
  // Listed by name (not hex-encoded), in order: the files whose content the `contents` stream holds.
  const streamed: HostFile[] = [];
  for (const line of lines(sections.get('files'))) {
    // the path is the rest of the line: a NetworkManager file name may hold spaces (HOST_PATH)
    const [sha256, size, mode, ...rest] = line.split(' ');
    const word = rest.join(' ');
    const path = hostPath(word);
    if (!sha256 || !path) continue;
    const file: HostFile = { path, sha256, size: Number(size), mode: parseInt(mode, 8) };
    files.set(path, file);
    if (!word.startsWith('hex:') && file.size <= FACT_CONTENT_LIMIT) streamed.push(file);
  }
  const stream = sections.get('contents');
  if (stream !== undefined) assignContents(streamed, Buffer.from(stream.replace(/\s+/g, ''), 'base64'));
  for (const [name, body] of sections) {
    if (!name.startsWith('content ')) continue;
    const file = files.get(hostPath(name.slice('content '.length)));
    if (file) file.content = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  for (const line of lines(sections.get('links'))) {
    const file = files.get(hostPath(line));
    if (file) file.symlink = true;
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
    ...(/^-?\d+$/.test(flags['deadline-left'] ?? '') ? { deadlineLeft: Number(flags['deadline-left']) } : {}),
    files,
    live: parseLiveSections(sections),
    ovsPresent: ovsText !== undefined,
    runState: parseRunState(sections.get('state')),
    seen: stateAsScriptsRead(sections.get('state')),
    ...restoreOf(sections.get('restore')),
  };
}

/**
 * A string field of state.json as common.snippet.ts's state_value reads it: the file's first line, the text after
 * the last `"<name>":"` up to the next quote; undefined when the line has no such field.
 */
export function stateValue(text: string, name: string): string | undefined {
  const end = text.indexOf('\n');
  const line = end < 0 ? text : text.slice(0, end);
  const at = line.lastIndexOf(`"${name}":"`);
  return at < 0 ? undefined : (line.slice(at + name.length + 4).split('"')[0] ?? '');
}

/** state.json's runId and phase as the scripts read them (stateValue), `-` when empty; null when the host has none. */
export function stateAsScriptsRead(text: string | undefined): RunStateSeen | null {
  if (!text) return null;
  return { runId: stateValue(text, 'runId') || '-', phase: stateValue(text, 'phase') || '-' };
}

/** The live network from the ip/ovs sections shared by the facts and verify outputs. */
export function parseLiveSections(sections: Map<string, string>): LiveState {
  // an ip without JSON (iproute2 before 4.14, CentOS 7's 4.11) printed its one-line text instead (print_live)
  const textLinks = sections.get('ip-text-link');
  const ip =
    textLinks !== undefined
      ? parseIpText(sections.get('ip-version') ?? '', textLinks, sections.get('ip-text-addr') ?? '', sections.get('ip-text-route') ?? '')
      : parseIpJson(
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

/**
 * The `contents` section: every file listed by name and up to FACT_CONTENT_LIMIT bytes, in list order, as one
 * stream (two processes on the host, not one per file; a hex-named file keeps its own `content` section).
 * Each piece is its file's listed size and must hash to its listed sha256: a file changed or gone between
 * the listing and the read makes the facts inconsistent, and the run is retried rather than diffed against
 * content that is not what was hashed.
 */
function assignContents(files: HostFile[], stream: Buffer): void {
  let at = 0;
  for (const file of files) {
    const slice = stream.subarray(at, at + file.size);
    at += file.size;
    if (slice.length !== file.size || createHash('sha256').update(slice).digest('hex') !== file.sha256) {
      throw new Error(`facts: ${file.path} changed while the host read it (its content does not match the size and hash listed); run the host again`);
    }
    file.content = slice.toString('utf8');
  }
  if (at !== stream.length) throw new Error('facts: the file contents are longer than the files listed; a file changed while the host read it; run the host again');
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

/** The restore section: the journal's restore lines of a rolled-back run. */
function restoreOf(text: string | undefined): Pick<HostFacts, 'restore'> {
  const restore = parseJournal(text)?.restore;
  return restore ? { restore } : {};
}
