import { compareNatural } from '@hostnet/intent';
import { oneLine, printable } from '../terminal-text';

/** What a host's dry-run came to. */
export type PlanVerdict = 'no change' | 'changes' | 'error';

/** One row of `hostnet plan`. */
export interface PlanRow {
  hostId: string;
  hostName: string;
  target?: string;
  /** Files the run would create, update or delete. */
  filesChanged?: number;
  /** Live differences (links, addresses, routes) the run would correct. */
  liveDifferences?: number;
  /** The names of the steps an apply would run after writing the files (`hostnet host` shows their commands). */
  plannedSteps?: string[];
  verdict: PlanVerdict;
  /** Why, for errors. */
  reason?: string;
}

/** The part of a host history record plan reads. */
export interface PlanRecord {
  phase: string;
  runId?: string;
  reason?: string;
  outcome?: { status?: string; reason?: string; target?: string; diff?: { files: { change: string }[]; live: string[] }; planned?: { name: string }[] };
}

/** Phases that end a run; anything else (queued, applying) is still going. */
const FINAL = new Set(['dry-run', 'no-op', 'failed', 'rolled-back', 'verified', 'enabled', 'enable-failed', 'resolved']);

/** The row for a host's record of its run, or null while the run is not done. */
export function rowFromRecord(host: { hostId: string; hostName: string }, record: PlanRecord): PlanRow | null {
  if (!FINAL.has(record.phase)) return null;
  const base = { ...host, ...(record.outcome?.target ? { target: record.outcome.target } : {}) };
  // A dry-run's result keeps the phase the host stood in (enabled, failed, …): its outcome says what it was.
  const status = record.outcome?.status;
  if (status === 'dry-run' || (status === undefined && record.phase === 'dry-run') || record.phase === 'no-op') {
    const filesChanged = (record.outcome?.diff?.files ?? []).filter((f) => f.change !== 'same').length;
    const liveDifferences = record.outcome?.diff?.live.length ?? 0;
    const planned = record.outcome?.planned ? { plannedSteps: record.outcome.planned.map((s) => s.name) } : {};
    return { ...base, filesChanged, liveDifferences, ...planned, verdict: filesChanged + liveDifferences > 0 ? 'changes' : 'no change' };
  }
  if (status === 'failed' || status === 'rolled-back') {
    return { ...base, verdict: 'error', reason: `${status}: ${record.reason ?? record.outcome?.reason ?? 'no reason recorded'}` };
  }
  if (record.phase === 'verified' || record.phase === 'enabled') {
    return { ...base, verdict: 'error', reason: `the request joined an apply run (${record.runId ?? 'no run id'}) already in flight, not a dry-run; run plan again once it ends` };
  }
  return { ...base, verdict: 'error', reason: `${record.phase}: ${record.reason ?? record.outcome?.reason ?? 'no reason recorded'}` };
}

/** os-net-config's detailed exit codes: 1 on any error, else 2 when something would change, else 0. */
export function planExitCode(rows: readonly PlanRow[]): 0 | 1 | 2 {
  if (rows.some((r) => r.verdict === 'error')) return 1;
  return rows.some((r) => r.verdict === 'changes') ? 2 : 0;
}

/** `host | target | files changed | live differences | verdict` in natural host order, then a summary. */
export function formatPlanTable(zone: string, rows: readonly PlanRow[]): string {
  const sorted = [...rows].sort((a, b) => compareNatural(a.hostName, b.hostName));
  const header = ['HOST', 'TARGET', 'FILES CHANGED', 'LIVE DIFFERENCES', 'VERDICT'];
  // a reason several hosts share (a profile's mistake) is printed once, at the first of them
  const firstWith = new Map<string, string>();
  const cells = sorted.map((r): string[] => {
    const reason = r.reason ?? '';
    const first = firstWith.get(reason);
    if (r.verdict === 'error' && first === undefined) firstWith.set(reason, r.hostName);
    return [
      r.hostName,
      r.target ?? '-',
      r.filesChanged === undefined ? '-' : String(r.filesChanged),
      r.liveDifferences === undefined ? '-' : String(r.liveDifferences),
      r.verdict !== 'error' ? r.verdict : first !== undefined && reason.length > 0 ? `error: the same as ${first}'s` : `error: ${reason}`,
    ].map((cell) => printable(oneLine(cell)));
  });
  const widths = [0, 1, 2, 3].map((i) => Math.max(header[i].length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((v, i) => (i < 4 ? v.padEnd(widths[i]) : v)).join('  ').trimEnd();
  const count = (v: PlanVerdict) => rows.filter((r) => r.verdict === v).length;
  const summary = `zone ${zone}: ${rows.length} host${rows.length === 1 ? '' : 's'}, ${count('no change')} no change, ${count('changes')} with changes, ${count('error')} error${count('error') === 1 ? '' : 's'}`;
  return `${[header, ...cells].map(line).join('\n')}\n${summary}\n`;
}
