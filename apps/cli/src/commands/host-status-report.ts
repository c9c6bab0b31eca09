import { presumedRestore, refusedBeforeAnyStep } from '@hostnet/contracts';
import { shellJoin } from '@hostnet/ssh/shell-quote';
import { oneLine, printable, printableLines } from '../terminal-text';
import { maintenanceLines, type RolloutMaintenance } from './rollout-maintenance';

/** The parts of api's host status records the CLI prints (GET /hosts, GET /hosts/:id). */
export interface HostStatusRow {
  hostId: string;
  hostName?: string;
  zoneId?: string;
  zoneName?: string;
  clusterId?: string;
  clusterName?: string;
  phase: string;
  at: string;
  runId?: string;
  specHash?: string;
  drifted?: boolean;
  dryRun?: boolean;
  /** The latest dry-run did not complete: whether the host drifted is not known now (`drifted` is the verdict before). */
  dryRunIncomplete?: boolean;
  reason?: string;
  trigger?: { kind?: string; by?: string };
  /** A relabel rollout's host step: the rollout and the layout the step tried. */
  relabel?: { rolloutId?: string; layout?: string };
  outcome?: {
    status?: string;
    reason?: string;
    recovered?: string;
    target?: string;
    diff?: { files?: { path: string; change: string; unified?: string }[]; live?: string[] };
    planned?: { name: string; argv: string[] }[];
    steps?: { name: string; exitCode: number }[];
    verification?: { ok?: boolean; checks?: { name: string; ok: boolean; detail?: string }[] };
    rollback?: { triggered?: boolean; restoredAt?: string; restoreChecks?: { name: string; ok: boolean; detail?: string }[]; unconfirmed?: string };
  };
}

export interface HostView {
  latest: HostStatusRow;
  history: HostStatusRow[];
}

/**
 * A dry-run api refused before any worker ran it (an invalid intent, a zone lint error) goes to the history
 * only, the latest record staying the host's last dry-run that ran: newer than it, it is the host's last
 * dry-run, and the header must not show the older clean one as if it were.
 */
function refusedSinceLatest(view: HostView): HostStatusRow | undefined {
  const newest = view.history[0];
  if (!newest?.dryRun || newest.outcome !== undefined || newest.phase !== 'failed') return undefined;
  return Date.parse(newest.at) > Date.parse(view.latest.at) ? newest : undefined;
}

/** Longest reason a list row shows; `hostnet host` prints it whole. */
const REASON_WIDTH = 100;

/** GET /hosts as a table: one host a line, in api's order (zone, cluster, name). */
export function formatHostList(rows: readonly HostStatusRow[]): string {
  if (rows.length === 0) return 'no host matches (hostnet lists only hosts it has run: hostnet plan --zone Z runs a dry-run on every host)\n';
  const table = [
    ['NAME', 'ZONE', 'CLUSTER', 'PHASE', 'DRIFTED', 'AT', 'REASON'],
    ...rows.map((r) => [
      r.hostName ?? r.hostId,
      r.zoneName ?? r.zoneId ?? '-',
      r.clusterName ?? r.clusterId ?? '-',
      r.phase,
      r.dryRunIncomplete ? 'unknown' : r.drifted === undefined ? '-' : r.drifted ? 'yes' : 'no',
      r.at,
      oneLine(r.reason ?? '', REASON_WIDTH),
    ].map((cell) => printable(oneLine(cell)))),
  ];
  const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  return `${table.map((row) => row.map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ').trimEnd()).join('\n')}\n`;
}

/** GET /hosts/:id for a person: where the host stands, its last run's outcome and diff, then its history. */
export function formatHostView(view: HostView, historyLines = 10, maintenance?: RolloutMaintenance): string {
  const r = view.latest;
  const where = [r.zoneName ?? r.zoneId, r.clusterName ?? r.clusterId].filter(Boolean).join(' / ');
  const out = [`${r.hostName ?? r.hostId} (id ${r.hostId})${where ? `, ${where}` : ''}`];
  const by = r.trigger?.kind ? `, trigger ${r.trigger.kind}${r.trigger.by ? ` by ${r.trigger.by}` : ''}` : '';
  out.push(`phase: ${r.phase} at ${r.at}${r.runId ? `, run ${r.runId}` : ''}${by}${r.dryRun ? ' (a dry-run kept it)' : ''}`);
  if (r.dryRunIncomplete) out.push(`drifted: unknown (the latest dry-run did not complete${r.drifted !== undefined ? `; the one before found ${r.drifted ? 'drift' : 'none'}` : ''})`);
  else if (r.drifted !== undefined) out.push(`drifted: ${r.drifted ? 'yes' : 'no'}`);
  const refused = refusedSinceLatest(view);
  if (refused) out.push(`reason: dry-run did not complete (${refused.phase}) at ${refused.at}, refused before it ran: ${refused.reason ?? 'no reason recorded'}`);
  if (r.reason) out.push(`reason: ${r.reason}`);
  if (maintenance) out.push(...maintenanceLines(maintenance, r.hostName ?? r.hostId));
  const o = r.outcome;
  if (o?.status) {
    const checks = o.verification?.checks ?? [];
    // what failed, not only the check's name (a name says what was checked: "new configuration verified")
    const failed = checks.filter((c) => !c.ok).map((c) => (c.detail ? `${c.name}: ${oneLine(c.detail, REASON_WIDTH)}` : c.name));
    // a dry-run verifies nothing: what it found differs is its live differences, listed below; a run refused
    // before any step verified nothing either (0 checks is not a failed verification), and its reason says why
    const verified = refusedBeforeAnyStep(o)
      ? `, not verified: refused before any change: ${oneLine(o.reason ?? r.reason ?? 'no reason recorded', REASON_WIDTH)}`
      : o.verification && o.status !== 'dry-run'
        ? checks.length === 0 && !o.verification.ok
          ? ', not verified (the run ended before verification)'
          : o.verification.ok
            ? `, verification ok (${checks.length} checks)`
            : `, verification failed (${failed.length} of ${checks.length} checks)${failed.length ? `: ${failed.join('; ')}` : ''}`
        : '';
    const kind = r.dryRun && o.status !== 'dry-run' ? ' (dry-run)' : '';
    out.push(`last run${refused ? ' before it' : ''}: ${o.status}${kind}${o.target ? `, target ${o.target}` : ''}${verified}`);
    // what a verified run recovered from is no reason of the host's, but still what happened on the way
    if (o.recovered) out.push(`recovered on the way: ${oneLine(o.recovered, REASON_WIDTH)}`);
    // the proof a rollback put the host back, before the diff, which is what the run had written (and undid)
    if (o.rollback?.triggered && o.rollback.unconfirmed) out.push(`rollback: ${presumedRestore(o.rollback.unconfirmed)}`);
    else if (o.rollback?.triggered) {
      const proof = o.rollback.restoreChecks ?? [];
      const whole = proof.length > 0 && proof.every((c) => c.ok);
      out.push(`rollback: the host restored its previous configuration${o.rollback.restoredAt ? ` at ${o.rollback.restoredAt}` : ''}${proof.length === 0 ? ' (no restore checks recorded)' : whole ? ', checked:' : ', NOT all of it:'}`);
      for (const c of proof) out.push(`  ${c.ok ? 'ok' : 'FAILED'}  ${c.name}${c.detail ? `: ${oneLine(c.detail, REASON_WIDTH)}` : ''}`);
    }
    const changed = (o.diff?.files ?? []).filter((f) => f.change !== 'same');
    const same = (o.diff?.files ?? []).length - changed.length;
    const live = o.diff?.live ?? [];
    // what the run found before it acted: a dry-run's would change, an apply's changed
    const tense = o.status === 'dry-run' ? 'to change' : o.status === 'applied' ? 'changed' : o.rollback?.triggered ? (o.rollback.unconfirmed ? 'written, their restore not confirmed' : 'written, then put back by the rollback') : 'differing';
    if (o.diff) out.push(`files: ${changed.length} ${tense}, ${same} the same; live differences: ${live.length}${live.length > 0 ? ` (${o.status === 'applied' ? 'found and repaired' : 'found'})` : ''}`);
    for (const difference of live) out.push(`  ${difference}`);
    for (const f of changed) out.push(`${f.change} ${f.path}`, ...(f.unified ? [f.unified.trimEnd()] : []));
    if (o.steps && o.steps.length > 0) out.push(`steps run: ${o.steps.map((s) => `${s.name}${s.exitCode === 0 ? '' : ` (exit ${s.exitCode})`}`).join(', ')}`);
    // a dry-run's commands, as the host would run them once the files are written (the words quoted as a shell reads them)
    if (o.planned) out.push(o.planned.length === 0 ? 'steps an apply would run: none' : `steps an apply would run after writing the files (${o.planned.length}):`);
    for (const step of o.planned ?? []) out.push(`  ${step.name}: ${shellJoin(step.argv)}`);
  }
  const history = view.history.slice(0, historyLines);
  if (history.length > 0) {
    out.push(`history (newest first${view.history.length > historyLines ? `, ${historyLines} of ${view.history.length}` : ''}):`);
    for (const h of history) out.push(`  ${h.at}  ${h.dryRun ? dryRunEntry(h) : h.phase}${h.reason ? `  ${oneLine(h.reason, REASON_WIDTH)}` : ''}`);
  }
  return printableLines(`${out.join('\n')}\n`);
}

/**
 * A dry-run's history entry: what it found and the phase it left the host in (a dry-run keeps it), or how it ended
 * when it did not complete. As the phase alone, `enabled (dry-run)` read as an enable the dry-run did.
 */
function dryRunEntry(h: HostStatusRow): string {
  if (h.outcome?.status !== 'dry-run') return `dry-run ${h.outcome?.status ?? h.phase}`;
  const found = h.drifted === true ? 'drift found' : h.drifted === false ? 'no drift' : 'done';
  return `dry-run: ${found} (host stays ${h.phase})`;
}
