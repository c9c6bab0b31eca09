import { accessSync, constants, lstatSync, readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { contentSha256, FACT_CONTENT_LIMIT, FACT_GLOBS, factPathProblem, pathProblem } from '@hostnet/apply';
import { base64Lines, isDirAt, isFileAt, type LeanHostDir } from './lean-host-dir';
import { LeanDecline, printFile, printLive, section } from './lean-live';
import { readLines } from './lean-read-lines';

/** The tools facts.script.ts looks up with `command -v`, in its order. */
const FACT_TOOLS = ['ip', 'ovs-vsctl', 'ovs-appctl', 'ifup', 'ifreload', 'netplan', 'nmcli', 'systemctl', 'service', 'setsid', 'systemd-run', 'timeout', 'sha256sum', 'base64', 'ping'];

/** `command -v NAME` on the host's PATH: the first directory holding an executable file of that name. */
export function commandPath(pathDirs: string[], name: string): string | undefined {
  return commandPaths(pathDirs, [name]).get(name);
}

/** `command -v` of each name, every PATH directory looked at once (facts ask for fifteen tools). */
export function commandPaths(pathDirs: string[], names: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  const dirs = pathDirs.map((dir) => ({ dir, executable: executablesIn(dir) }));
  for (const name of names) {
    const at = dirs.find(({ executable }) => executable(name));
    if (at) found.set(name, join(at.dir, name));
  }
  return found;
}

/**
 * What each PATH directory held, while it stays unchanged: facts look up fifteen tools on every exec,
 * and the directories (the host's stand-ins, the shared system one) change only when a tool is added or
 * removed. A directory changed in the last second is read afresh (its mtime moves in clock ticks, so a
 * change in the same tick would look like none); a tool's mode changed in place is not seen (nothing
 * does that to a lean host: a fault that does turns the lean answers off), nor a tool the shared system
 * directory links to that is removed from the machine while the simulator runs.
 */
const pathDirs = new Map<string, { mtimeMs: number; executable: Map<string, boolean> }>();
const SETTLED_MS = 1000;

/** Whether the directory holds an executable file of a name, from one stat of the directory. */
function executablesIn(dir: string): (name: string) => boolean {
  const mtimeMs = dirMtimeMs(dir);
  if (mtimeMs === undefined) return () => false;
  if (mtimeMs > Date.now() - SETTLED_MS) return (name) => isExecutableFile(join(dir, name));
  let known = pathDirs.get(dir);
  if (known?.mtimeMs !== mtimeMs) pathDirs.set(dir, (known = { mtimeMs, executable: new Map() }));
  const { executable } = known;
  return (name) => {
    let is = executable.get(name);
    if (is === undefined) executable.set(name, (is = isExecutableFile(join(dir, name))));
    return is;
  };
}

function dirMtimeMs(dir: string): number | undefined {
  try {
    const stat = statSync(dir, { throwIfNoEntry: false });
    return stat?.isDirectory() ? stat.mtimeMs : undefined;
  } catch {
    return undefined;
  }
}

function isExecutableFile(path: string): boolean {
  if (!isFileAt(path)) return false;
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The names in DIR matching `PREFIX*SUFFIX` as sh expands them (a leading dot only when the pattern has one). */
function globNames(dir: string, prefix: string, suffix: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => n.startsWith(prefix) && n.endsWith(suffix) && n.length >= prefix.length + suffix.length && (prefix !== '' || !n.startsWith('.')));
}

/** FACT_GLOBS expanded under the root: host-absolute paths (directories included; the caller keeps files). */
function expandFactGlobs(host: LeanHostDir): string[] {
  const paths: string[] = [];
  for (const glob of FACT_GLOBS) {
    const star = glob.indexOf('*');
    if (star < 0) {
      paths.push(glob);
      continue;
    }
    const slash = glob.lastIndexOf('/', star);
    const dir = glob.slice(0, slash);
    for (const name of globNames(host.at(dir), glob.slice(slash + 1, star), glob.slice(star + 1))) paths.push(`${dir}/${name}`);
  }
  return paths;
}

/**
 * facts.script.ts's answer, byte for byte, for a host with no run to recover and no file name the
 * scripts would send hex-encoded (those go to the script).
 */
export function leanFacts(host: LeanHostDir, stdin: string, pathDirs: string[]): string {
  const phase = host.state().phase;
  if (phase === 'armed' || phase === 'rolling-back') throw new LeanDecline('a run the facts script may recover');
  let out = '@@hostnet:facts 1\n';
  out += section('os-release') + printFile(host.at('/etc/os-release'));
  out += section('tools');
  const tools = commandPaths(pathDirs, FACT_TOOLS);
  for (const [tool, found] of tools) out += `${tool} ${found}\n`;
  out += section('flags') + `now ${Math.floor(Date.now() / 1000)}\n`;
  if (isDirAt(host.at('/etc/sysconfig/network-scripts'))) out += 'network-scripts-dir 1\n';
  if (tools.has('ifreload') || isDirAt(host.at('/usr/share/ifupdown2'))) out += 'ifupdown2 1\n';
  if (hasNmOvsPlugin(host)) out += 'nm-ovs-plugin 1\n';
  out += section('files');
  // One lstat per candidate path (cached): whether it is a link, a file, and its mode. The hundred-odd
  // candidates cost a stat, an lstat and another stat each before: the largest part of the simulated
  // hosts' CPU in the bench's no-op rollout, on the cores hostnet runs on.
  const entries = new Map<string, Stats | undefined>();
  const entry = (path: string): Stats | undefined => {
    if (!entries.has(path)) entries.set(path, lstatAt(host.at(path)));
    return entries.get(path);
  };
  const candidates: string[] = [];
  for (const path of expandFactGlobs(host)) {
    const found = entry(path);
    // a glob's link counts when it leads to a file ([ -f ] follows it); it is then refused below
    if (!found || !(found.isFile() || (found.isSymbolicLink() && host.isFile(path)))) continue;
    if (factPathProblem(path) !== undefined) throw new LeanDecline(`a file name the script sends hex-encoded: ${JSON.stringify(path)}`);
    candidates.push(path);
  }
  for (const path of readLines(stdin)) if (pathProblem(path) === undefined) candidates.push(path);
  const all = [...new Set(candidates)].sort();
  // the script lists every candidate that is a link (a dangling one too) in a section this model does not write
  if (all.some((p) => entry(p)?.isSymbolicLink())) throw new LeanDecline('a candidate path is a symbolic link');
  const small: Buffer[] = [];
  for (const path of all) {
    const found = entry(path);
    if (!found?.isFile()) continue;
    const content = readFileSync(host.at(path));
    const mode = (found.mode & 0o7777).toString(8);
    out += `${contentSha256(content)} ${content.length} ${mode} ${path}\n`;
    if (content.length <= FACT_CONTENT_LIMIT) small.push(content);
  }
  if (small.length > 0) out += section('contents') + base64Lines(Buffer.concat(small));
  return out + printLive(host) + restoreSection(host, phase) + section('end');
}

/** A rolled-back run's restore lines from its journal, as the facts script greps them. */
const RESTORE_LINE = /^[0-9]+ (restore-start|restore-failed|restore-incomplete|restored|kept-bridge|kept-link|kept-ovs)( |$)/;

function restoreSection(host: LeanHostDir, phase: string | undefined): string {
  const run = host.state().runId ?? '';
  if (phase !== 'rolled-back' || !/^[A-Za-z0-9._-]+$/.test(run)) return '';
  const journal = host.journalText(run);
  if (journal === undefined) return '';
  return section('restore') + journal.split('\n').filter((line) => RESTORE_LINE.test(line)).map((line) => `${line}\n`).join('');
}

function hasNmOvsPlugin(host: LeanHostDir): boolean {
  const plugin = 'libnm-device-plugin-ovs.so';
  const under = (dir: string): boolean => globNames(dir, '', '').some((version) => host.isFile(`${dir.slice(host.rootDir.length)}/${version}/${plugin}`));
  if (under(host.at('/usr/lib64/NetworkManager'))) return true;
  return globNames(host.at('/usr/lib'), '', '').some((arch) => under(host.at(`/usr/lib/${arch}/NetworkManager`)));
}

/** The path's own entry (a link is not followed); undefined when there is none (or an error the script would see as none). */
function lstatAt(path: string): Stats | undefined {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined; // ENOTDIR, EACCES
  }
}
