/**
 * How an operator's resolve ended: `rolled-back` (the stuck run's previous configuration is back),
 * `nothing-to-resolve` (no run was stuck; the host was left untouched), `refused` (a live apply is
 * still inside its deadline, or another hostnet process holds the host), `failed` (unreachable, or
 * the restore did not complete).
 */
export type ResolveStatus = 'rolled-back' | 'nothing-to-resolve' | 'refused' | 'failed';

/** One line of the run's on-host journal, as evidence. */
export interface ResolveJournalLine {
  atMs: number;
  event: string;
  args: string[];
}

export interface ResolveOutcomeSummary {
  status: ResolveStatus;
  detail: string;
  /** The on-host run the resolve looked at (state.json), when there was one. */
  runId?: string;
  specHash?: string;
  phaseBefore?: string;
  phaseAfter?: string;
  /** Restore mode used: `now`, or `resume` for a restore that died or an apply past its deadline. */
  mode?: 'now' | 'resume';
  /** The restore's part of the run's journal (from its last `restore-start`), capped. */
  journal?: ResolveJournalLine[];
  /** Each file the restore put back, checked against the run's backup on the host. */
  restoredFiles?: { path: string; ok: boolean; detail: string }[];
  /** What the restore journaled as not undone. */
  incomplete?: string[];
}
