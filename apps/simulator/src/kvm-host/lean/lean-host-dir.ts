import { appendFileSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stateValue } from '@hostnet/apply';
import { BOOT_ID, uptimeCs } from './lean-clock';

/** The run state the scripts keep in /var/lib/hostnet/state.json (common.snippet.ts write_state), one line. */
export interface RunStateFields {
  runId: string;
  specHash: string;
  phase: string;
  deadline: string;
  appliedSpecHash: string;
  updatedAt: string;
}

/**
 * One simulated host's files as the on-host scripts see them: every path is host-absolute ("/etc/…")
 * under the host's root directory. The state.json and journal formats are the scripts' own.
 */
export class LeanHostDir {
  readonly stateDir: string;

  constructor(readonly rootDir: string) {
    this.stateDir = join(rootDir, 'var/lib/hostnet');
  }

  /** The host-absolute path under the root. */
  at(hostPath: string): string {
    return this.rootDir + hostPath;
  }

  isFile(hostPath: string): boolean {
    return isFileAt(this.at(hostPath));
  }

  /** state.json's string fields, as state_value reads them (its first line; a field it lacks is ''). */
  state(): Partial<RunStateFields> {
    let text: string;
    try {
      text = readFileSync(join(this.stateDir, 'state.json'), 'utf8');
    } catch {
      return {};
    }
    const fields: Record<string, string> = {};
    for (const name of ['runId', 'specHash', 'phase', 'deadline', 'appliedSpecHash', 'updatedAt']) {
      const value = stateValue(text, name);
      if (value !== undefined) fields[name] = value;
    }
    return fields;
  }

  /** write_state: the same line the scripts write, renamed into place. */
  writeState(run: string, spec: string, phase: string, deadline: string, applied: string): void {
    mkdirSync(this.stateDir, { recursive: true });
    const line = `{"runId":"${run}","specHash":"${spec}","phase":"${phase}","deadline":"${deadline}","appliedSpecHash":"${applied}","updatedAt":"${Math.floor(Date.now() / 1000)}"}\n`;
    writeFileSync(join(this.stateDir, 'state.json.tmp'), line);
    renameSync(join(this.stateDir, 'state.json.tmp'), join(this.stateDir, 'state.json'));
  }

  /** lock(): the scripts open the host's run lock file for appending (flock needs no lock in one process). */
  touchRunLock(): void {
    mkdirSync(this.stateDir, { recursive: true });
    appendFileSync(join(this.stateDir, 'run.lock'), '');
  }

  runDir(run: string): string {
    return join(this.stateDir, 'backups', run);
  }

  /** journal / journal_note: `<epoch ms> <event> <args…>`. */
  journal(run: string, ...words: string[]): void {
    appendFileSync(join(this.runDir(run), 'journal'), `${Date.now()} ${words.join(' ')}\n`);
  }

  journalText(run: string): string | undefined {
    try {
      return readFileSync(join(this.runDir(run), 'journal'), 'utf8');
    } catch {
      return undefined;
    }
  }

  /** journal_has EVENT. */
  journalHas(run: string, event: string): boolean {
    return (this.journalText(run) ?? '').split('\n').some((line) => {
      const [at, name] = line.split(' ');
      return /^\d*$/.test(at ?? 'x') && name === event;
    });
  }

  /** set_deadline. */
  setDeadline(run: string, deadline: LeanDeadline): void {
    const file = join(this.runDir(run), 'deadline');
    writeFileSync(`${file}.tmp`, `${deadline.epoch}\n${deadline.sinceBoot === undefined ? '' : `${deadline.sinceBoot}\n`}`);
    renameSync(`${file}.tmp`, file);
  }

  /** deadline_value: 0 when there is none. */
  deadline(run: string): number {
    return Number(this.deadlineLines(run)?.[0]?.match(/^\d+$/)?.[0] ?? 0);
  }

  /** deadline_left: in 1/100 s, on the time since boot when line 2 is of this boot, else on the wall clock. */
  deadlineLeftCs(run: string): number {
    const lines = this.deadlineLines(run);
    const [up, boot] = (lines?.[1] ?? '').split(' ');
    const now = uptimeCs();
    if (up && /^\d+$/.test(up) && boot && boot === BOOT_ID?.trim() && now !== undefined) return Number(up) - now;
    const epoch = lines ? this.deadline(run) : Number(/^\d+$/.exec(this.state().deadline ?? '')?.[0] ?? 0);
    return (epoch - Math.floor(Date.now() / 1000)) * 100;
  }

  private deadlineLines(run: string): string[] | undefined {
    try {
      return readFileSync(join(this.runDir(run), 'deadline'), 'utf8').split('\n');
    } catch {
      return undefined;
    }
  }
}

/** A rollback deadline as the scripts keep it (deadline_in): epoch s, and "CS BOOT" since boot when /proc tells. */
export interface LeanDeadline {
  epoch: number;
  sinceBoot?: string;
}

/** deadline_in SECONDS. */
export function deadlineIn(seconds: number): LeanDeadline {
  const epoch = Math.floor(Date.now() / 1000) + seconds;
  const up = uptimeCs();
  const boot = BOOT_ID?.trim();
  return up !== undefined && boot && /^[A-Za-z0-9._-]+$/.test(boot) ? { epoch, sinceBoot: `${up + seconds * 100} ${boot}` } : { epoch };
}

/** GNU base64's output: 76 columns a line, a newline after the last (nothing at all for no input). */
export function base64Lines(content: Buffer): string {
  const text = content.toString('base64');
  let out = '';
  for (let i = 0; i < text.length; i += 76) out += `${text.slice(i, i + 76)}\n`;
  return out;
}

/** Whether `path` is a directory (any stat error: not one). */
export function isDirAt(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false;
  }
}

/**
 * Whether `path` is a file (following symlinks), as `[ -f ]`: a missing path answers false without the
 * thrown error, whose stack trace cost more than the stat on the facts' hundred-odd candidate paths.
 */
export function isFileAt(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    return false; // ENOTDIR, EACCES: not a file the script could read either
  }
}
