import type { HostRunState } from '../domain/host-facts';
import { parseRunState } from './facts.parser';
import { type RunJournal, type WrittenFile, parseJournal, parseWritten } from './journal.parser';
import { parseJsonSection, parseSections } from './sectioned-output.parser';

/** What the resolve script answered on the host (resolve.script.ts). */
export interface ResolveScriptAnswer {
  status: 'rolled-back' | 'incomplete' | 'in-progress' | 'nothing-to-resolve' | 'refused' | 'failed';
  runId: string;
  /** The run's phase when the rollback looked at it (empty for a status answer). */
  before: string;
  phase: string;
  mode: '' | 'now' | 'resume';
  detail: string;
}

export interface ResolveScriptResult {
  answer: ResolveScriptAnswer;
  state?: HostRunState;
  journal?: RunJournal;
  /** Files the restore put back: `writtenSha256` is the backup's hash, `currentSha256` the file's now. */
  restored: WrittenFile[];
}

export function parseResolveOutput(stdout: string): ResolveScriptResult {
  const sections = parseSections(stdout);
  if (!sections.has('end')) throw new Error('resolve output is incomplete (no end marker)');
  const answer = parseJsonSection<ResolveScriptAnswer | undefined>(sections, 'resolve', undefined);
  if (!answer?.status) throw new Error('resolve output has no answer line');
  const result: ResolveScriptResult = { answer, restored: parseWritten(sections.get('restored')) };
  const state = parseRunState(sections.get('state'));
  if (state) result.state = state;
  const journal = parseJournal(sections.get('journal'));
  if (journal) result.journal = journal;
  return result;
}
