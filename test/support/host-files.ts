import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** One file of a simulated host's root: content hash and modification time. */
export interface FileMark {
  sha256: string;
  mtimeMs: number;
}

/** Every regular file under `rootDir` (relative path → mark), skipping directories `skip` names. */
export function snapshotFiles(rootDir: string, skip: (relPath: string) => boolean = () => false): Map<string, FileMark> {
  const marks = new Map<string, FileMark>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const rel = relative(rootDir, path);
      if (skip(rel)) continue;
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        marks.set(rel, { sha256: createHash('sha256').update(readFileSync(path)).digest('hex'), mtimeMs: statSync(path).mtimeMs });
      }
    }
  };
  walk(rootDir);
  return marks;
}

/** Human-readable differences between two snapshots (empty when equal); `contentOnly` ignores mtimes. */
export function snapshotChanges(before: Map<string, FileMark>, after: Map<string, FileMark>, contentOnly = false): string[] {
  const changes: string[] = [];
  for (const [path, was] of before) {
    const now = after.get(path);
    if (!now) changes.push(`deleted ${path}`);
    else if (now.sha256 !== was.sha256) changes.push(`content changed ${path}`);
    else if (!contentOnly && now.mtimeMs !== was.mtimeMs) changes.push(`mtime changed ${path}`);
  }
  for (const path of after.keys()) if (!before.has(path)) changes.push(`created ${path}`);
  return changes.sort();
}

/** Snapshot filter keeping only /etc: the configuration an OS reads, what a rollback must restore. */
export function outsideEtc(relPath: string): boolean {
  return relPath !== 'etc' && !relPath.startsWith('etc/');
}

/** hostnet's state.json on a host (what the on-host scripts keep about the last run). */
export interface HostRunStateFile {
  runId: string;
  specHash: string;
  phase: string;
  deadline: string;
  appliedSpecHash: string;
}

/** Reads <root>/var/lib/hostnet/state.json (undefined before hostnet's first apply). */
export function readRunState(rootDir: string): HostRunStateFile | undefined {
  const file = join(rootDir, 'var/lib/hostnet/state.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as HostRunStateFile) : undefined;
}

/**
 * Where the host differs from "run `runId` fully applied", read off the run's own record on the host
 * (backups/<run>/changes and the new/ copies): a file not written, written differently, or a removed
 * file still there. Empty means every change of the run is in place.
 */
export function runNotApplied(rootDir: string, runId: string): string[] {
  const run = join(rootDir, 'var/lib/hostnet/backups', runId);
  const problems: string[] = [];
  for (const line of readFileSync(join(run, 'changes'), 'utf8').split('\n').filter(Boolean)) {
    const [kind, , path] = line.split(' ') as [string, string, string];
    const onHost = join(rootDir, path);
    if (kind === 'remove') {
      if (existsSync(onHost)) problems.push(`${path} should be removed`);
    } else if (!existsSync(onHost)) {
      problems.push(`${path} missing`);
    } else if (!readFileSync(onHost).equals(readFileSync(join(run, 'new', path)))) {
      problems.push(`${path} differs from the run's version`);
    }
  }
  return problems;
}

/** The pid in an on-host pid file (`<pid> <starttime>`, as the scripts' record_self writes it). */
export function readPidFile(path: string): number {
  return Number(readFileSync(path, 'utf8').trim().split(' ')[0]);
}

/** SIGKILL, unless the process already ended (a step may end with the apply script killed before it). */
export function killIfAlive(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}
