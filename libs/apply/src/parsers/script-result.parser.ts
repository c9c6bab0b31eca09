import type { LiveState } from '@hostnet/intent';
import type { HostRunState } from '../domain/host-facts';
import { parseLiveSections, parseRunState } from './facts.parser';
import { type RunJournal, type WrittenFile, parseJournal, parseWritten } from './journal.parser';
import { parseSections } from './sectioned-output.parser';

/** The apply script's JSON result line. */
export interface ApplyScriptResult {
  /** `stale`: the host's run state is no longer the one the payload was planned from (ApplyPayload.seen). */
  status: 'armed' | 'failed' | 'busy' | 'stale' | 'rejected';
  runId?: string;
  reason?: string;
  /** What failed: `step <name>`, `write <path>`, `backup <path>`, `script-exit`, `signal`. */
  failed?: string;
  phase?: string;
  mechanism?: 'systemd-run' | 'setsid' | 'nohup' | '';
  deadline?: number;
  steps?: { name: string; exitCode: number; durationMs: number }[];
  changes?: { kind: 'write' | 'remove'; path: string }[];
  /** Tail of the failed step's (or write's) output, base64. */
  outputBase64?: string;
}

/** The confirm script's JSON result line. */
export interface ConfirmScriptResult {
  status: 'confirmed' | 'rolled-back' | 'not-armed' | 'rejected' | 'busy' | 'incomplete';
  runId?: string;
  phase?: string;
}

/** What one verify round trip saw. */
export interface VerifyScriptResult {
  live: LiveState;
  ping: string;
  runState?: HostRunState;
  /** The run's journal, when verify was given its run id and the host has it. */
  journal?: RunJournal;
  written: WrittenFile[];
  /**
   * For a run whose journal shows no `armed`: `running` while the host's run lock is held (its apply may
   * still be making backups), `ended` once the host fenced the run so no apply of it can begin, `unknown`
   * when the fence could not be written.
   */
  applying?: 'running' | 'ended' | 'unknown';
}

/** Parses the last JSON line a script printed, naming the script when there is none. */
export function parseJsonResult<T>(script: string, stdout: string, stderr: string): T {
  const line = stdout.trim().split('\n').reverse().find((l) => l.startsWith('{'));
  if (!line) {
    throw new Error(`${script} script printed no result (stderr: ${JSON.stringify(stderr.trim().slice(-300))})`);
  }
  try {
    return JSON.parse(line) as T;
  } catch {
    throw new Error(`${script} script printed an unreadable result: ${JSON.stringify(line.slice(0, 200))}`);
  }
}

/** Parses the verify script's sectioned output. */
export function parseVerifyOutput(stdout: string): VerifyScriptResult {
  const sections = parseSections(stdout);
  if (!sections.has('end')) throw new Error('verify output is incomplete (no end marker)');
  const result: VerifyScriptResult = {
    live: parseLiveSections(sections),
    ping: sections.get('ping') ?? 'skipped',
    runState: parseRunState(sections.get('state')),
    written: parseWritten(sections.get('written')),
  };
  const journal = parseJournal(sections.get('journal'));
  if (journal) result.journal = journal;
  const applying = sections.get('apply')?.trim();
  if (applying === 'running' || applying === 'ended' || applying === 'unknown') result.applying = applying;
  return result;
}
