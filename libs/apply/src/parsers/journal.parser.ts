/** One line of a run's on-host journal (`<epoch-ms> <event> [args…]`, see apply.script.ts). */
export interface JournalEntry {
  atMs: number;
  event: string;
  args: string[];
}

/** What a run's journal says about how far it got. */
export interface RunJournal {
  entries: JournalEntry[];
  /** Every step ended with exit 0 and the deadline was re-armed. */
  stepsDone: boolean;
  /** What failed (`write /etc/…`, `step ifup-br0`, `backup …`, `script-exit`), when anything did. */
  failed?: string;
  /**
   * The restore ran to its end; `incomplete` lists what it could not undo, `kept` what the run made that it left
   * because something hostnet does not own hangs off it (`cloudbr9 ports vnet0`: a VM's tap joined the bridge);
   * `keptOvs`, why Open vSwitch, down before the run and started during it, was left running.
   */
  restore?: { done: boolean; incomplete: string[]; kept: string[]; keptOvs?: string };
  confirmed: boolean;
}

/** Events whose one argument is a path; `wrote` has the written file's sha256 after it. */
const PATH_EVENTS = new Set(['backed-up', 'absent', 'writing', 'removed', 'restored-file']);

/** A path may hold spaces (HOST_PATH): the words that make it are kept as one argument. */
function eventArgs(event: string, words: string[]): string[] {
  if (PATH_EVENTS.has(event)) return [words.join(' ')];
  if (event === 'wrote' && words.length > 2) return [words.slice(0, -1).join(' '), words.at(-1)!];
  if (event === 'restore-failed' && words[0] === 'file') return ['file', words.slice(1).join(' ')];
  return words;
}

export function parseJournal(text: string | undefined): RunJournal | undefined {
  if (text === undefined) return undefined;
  const entries: JournalEntry[] = [];
  for (const line of text.split('\n')) {
    const [at, event, ...words] = line.trim().split(' ');
    if (event && /^\d+$/.test(at ?? '')) entries.push({ atMs: Number(at), event, args: eventArgs(event, words) });
  }
  const has = (event: string): boolean => entries.some((e) => e.event === event);
  const failed = entries.find((e) => e.event === 'failed');
  const restoreStarted = has('restore-start');
  // a confirm whose state write failed after its line (a full disk) left the run to its timer: a restore after it wins
  const confirmedAt = entries.map((e) => e.event).lastIndexOf('confirmed');
  const confirmed = confirmedAt >= 0 && !entries.slice(confirmedAt).some((e) => e.event === 'restore-start');
  const journal: RunJournal = { entries, stepsDone: has('steps-done'), confirmed };
  if (failed) journal.failed = failed.args.join(' ');
  if (restoreStarted) {
    const last = lastRestoreAttempt(entries);
    journal.restore = {
      done: last.some((e) => e.event === 'restored' || e.event === 'restore-incomplete'),
      incomplete: last.filter((e) => e.event === 'restore-failed').map((e) => e.args.join(' ')),
      kept: last.filter((e) => e.event === 'kept-bridge' || e.event === 'kept-link').map((e) => e.args.join(' ')),
    };
    const keptOvs = last.find((e) => e.event === 'kept-ovs');
    if (keptOvs) journal.restore.keptOvs = keptOvs.args.join(' ');
  }
  return journal;
}

/**
 * The entries from the last restore-start on: a restore that died and was resumed (hostnet-recover after
 * a reboot) is judged by its last attempt. Empty when no restore started.
 */
export function lastRestoreAttempt(entries: JournalEntry[]): JournalEntry[] {
  const start = entries.map((e) => e.event).lastIndexOf('restore-start');
  return start < 0 ? [] : entries.slice(start);
}

/** A file the run wrote, as the journal recorded it and as the host has it now. */
export interface WrittenFile {
  path: string;
  writtenSha256: string;
  /** `absent` when the file is gone. */
  currentSha256: string;
}

/** `<written sha|absent> <current sha|absent|present> <path>` lines; the path is the rest of the line. */
export function parseWritten(text: string | undefined): WrittenFile[] {
  return (text ?? '')
    .split('\n')
    .map((l) => l.trim().split(' '))
    .filter((parts) => parts.length >= 3)
    .map(([writtenSha256, currentSha256, ...path]) => ({ path: path.join(' '), writtenSha256: writtenSha256 as string, currentSha256: currentSha256 as string }));
}
