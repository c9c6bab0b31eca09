import type { RolloutCounts, RolloutHostProgress, RolloutWaveProgress } from '@hostnet/contracts';
import { progressBar, type RolloutView } from './relabel-report';
import { printable } from '../terminal-text';

/** Wave lines shown at most (a zone of 1000 hosts can have hundreds of waves); the window follows the first unfinished one. */
const WAVE_LINES = 12;
/** Failed and in-flight hosts shown at most, each. */
const HOST_LINES = 10;
const BAR_WIDTH = 10;

/** What the wave bars count, by where the rollout stands: hosts expanded, then contracted, then back on the old layout. */
interface Measure {
  label: string;
  done: (c: RolloutCounts) => number;
}

const EXPANDED: Measure = { label: 'hosts expanded', done: (c) => c.expanded };
const CONTRACTED: Measure = { label: 'hosts contracted', done: (c) => c.contracted };
const RESTORED: Measure = { label: 'hosts back on the old layout', done: (c) => c.hosts - c.expanded };

/**
 * `hostnet relabel status` on a terminal: state, failed hosts, hosts in flight, then a bar per wave in the
 * order they run. Every line fits `columns` so a redraw can count the lines it replaces.
 */
export function renderStatusFrame(view: RolloutView, columns: number): string {
  const p = view.progress;
  const measure = measureOf(view);
  const hosts = (p?.waves ?? []).flatMap((w) => w.hosts);
  const failed = hosts.filter((h) => h.state === 'failed');
  const inFlight = hosts.filter((h) => h.state === 'in-flight');
  const lines = [
    `rollout ${view.id}: ${view.state} (phase ${view.phase})${view.reason ? ` — ${view.reason}` : ''}`,
    ...(view.lastError ? [`  last error (retried): ${view.lastError}`] : []),
    ...(p ? [`  ${p.hosts} hosts · ${p.expanded} expanded · ${p.contracted} contracted · ${p.failed} failed · ${p.inFlight.length} in flight`] : []),
    ...section('failed', failed, (h) => `  ! ${h.hostName}  ${h.detail}${runText(h)}${h.failure ? `: ${h.failure}` : ''}`),
    ...section('in flight', inFlight, (h) => `  > ${h.hostName}  ${h.detail}${runText(h)}`),
    ...(p?.waves ? [`waves (${measure.label}):`, ...waveLines(p.waves, measure)] : ['  (waves unknown: the plan could not be read)']),
  ];
  return lines.map((l) => fit(printable(l), columns)).join('\n') + '\n';
}

function measureOf(view: RolloutView): Measure {
  if (view.state === 'aborting' || view.state === 'aborted' || view.phase.startsWith('rollback-')) return RESTORED;
  return view.state === 'planned' || view.phase === 'expand' || view.phase === 'freeze' ? EXPANDED : CONTRACTED;
}

function section(title: string, hosts: RolloutHostProgress[], line: (h: RolloutHostProgress) => string): string[] {
  if (hosts.length === 0) return [];
  const more = hosts.length > HOST_LINES ? [`  … and ${hosts.length - HOST_LINES} more (hostnet relabel show lists every host)`] : [];
  return [`${title}:`, ...hosts.slice(0, HOST_LINES).map(line), ...more];
}

function runText(h: RolloutHostProgress): string {
  return h.lastRun ? ` (run ${h.lastRun.runId} ${h.lastRun.status})` : '';
}

function waveLines(waves: RolloutWaveProgress[], measure: Measure): string[] {
  const unfinished = waves.findIndex((w) => measure.done(w.counts) < w.counts.hosts || w.counts.failed > 0 || w.counts.inFlight > 0);
  const focus = unfinished < 0 ? waves.length - 1 : unfinished;
  const start = Math.max(0, Math.min(focus - 2, waves.length - WAVE_LINES));
  const shown = waves.slice(start, start + WAVE_LINES);
  const name = (w: RolloutWaveProgress) => `${w.kind} ${w.index}`;
  const width = Math.max(...shown.map((w) => name(w).length));
  const lines = shown.map((w) => {
    const c = w.counts;
    const notes = [c.failed > 0 ? `${c.failed} failed` : '', c.inFlight > 0 ? `${c.inFlight} in flight` : ''].filter(Boolean).join(', ');
    return `  ${name(w).padEnd(width)}  ${progressBar(measure.done(c), c.hosts, BAR_WIDTH)} ${measure.done(c)}/${c.hosts}${notes ? `  ${notes}` : ''}`;
  });
  const after = waves.length - start - shown.length;
  return [...(start > 0 ? [`  … ${start} earlier wave${start === 1 ? '' : 's'}`] : []), ...lines, ...(after > 0 ? [`  … ${after} more wave${after === 1 ? '' : 's'}`] : [])];
}

function fit(line: string, columns: number): string {
  return line.length <= columns ? line : `${line.slice(0, Math.max(1, columns - 1))}…`;
}
