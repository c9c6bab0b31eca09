import type { LiveState } from '@hostnet/intent';
import type { HostRunState } from '../domain/host-facts';
import { parseLiveSections, parseRunState } from './facts.parser';
import { parseSections } from './sectioned-output.parser';

/** The apply script's JSON result line. */
export interface ApplyScriptResult {
  status: 'armed' | 'failed' | 'busy' | 'rejected';
  runId?: string;
  reason?: string;
  failedStep?: string;
  phase?: string;
  mechanism?: 'systemd-run' | 'setsid' | 'nohup' | '';
  deadline?: number;
  steps?: { name: string; exitCode: number; durationMs: number }[];
  changes?: { kind: 'write' | 'remove'; path: string }[];
}

/** The confirm script's JSON result line. */
export interface ConfirmScriptResult {
  status: 'confirmed' | 'rolled-back' | 'not-armed' | 'rejected';
  runId?: string;
  phase?: string;
}

/** What one verify round trip saw. */
export interface VerifyScriptResult {
  live: LiveState;
  ping: string;
  runState?: HostRunState;
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
  return { live: parseLiveSections(sections), ping: sections.get('ping') ?? 'skipped', runState: parseRunState(sections.get('state')) };
}
