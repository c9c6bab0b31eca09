import type { HostPhase } from '../hosts/host-status.types';
import { escapeHtml as e } from './html-escape';
import { type HostQuery, querySearch } from './host-query';
import type { HostView } from './host-view';

/** Every phase, those needing attention first, then in the order a run moves through them. */
export const PHASE_ORDER: readonly HostPhase[] = ['failed', 'rolled-back', 'enable-failed', 'queued', 'applying', 'verified', 'enabled', 'no-op', 'dry-run', 'resolved'];

/** Fleet-wide counts per phase, each a link that filters to it; the attention count first. */
export function renderPhaseCounts(view: HostView): string {
  const phases = [...view.phaseCounts].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
  const link = (phase: NonNullable<HostQuery['phase']>, label: string, count: number, extra = '') => {
    const current = view.query.phase === phase ? ' aria-current="true"' : '';
    return `<a class="count phase-${e(phase)}${extra}" data-filter-phase="${e(phase)}" href="/dashboard${e(querySearch(view.query, { phase, page: 1 }))}"${current}><strong>${count}</strong> ${e(label)}</a>`;
  };
  return (
    `<span class="count total"><strong>${view.total}</strong> host${view.total === 1 ? '' : 's'}</span>` +
    link('attention', 'need attention', view.attentionCount, view.attentionCount > 0 ? ' alert' : '') +
    phases.map(([phase, count]) => link(phase, phase, count)).join('')
  );
}

function rank(phase: string): number {
  const i = PHASE_ORDER.indexOf(phase as HostPhase);
  return i < 0 ? PHASE_ORDER.length : i;
}

/** "41–60 of 1,203 matching" and previous/next links (plain links: the page works without its script). */
export function renderPager(view: HostView): string {
  const first = view.matched === 0 ? 0 : (view.page - 1) * view.query.size + 1;
  const last = Math.min(view.matched, view.page * view.query.size);
  const nav = (page: number, label: string, rel: string) =>
    page >= 1 && page <= view.pages && page !== view.page
      ? `<a href="/dashboard${e(querySearch(view.query, { page }))}" data-page="${page}" rel="${rel}">${label}</a>`
      : `<span class="disabled" aria-disabled="true">${label}</span>`;
  return (
    `<span id="matched" data-matched="${view.matched}">${first}–${last} of ${view.matched} matching` +
    `${view.matched !== view.total ? ` (${view.total} in all)` : ''}</span> ` +
    `${nav(view.page - 1, '← Previous', 'prev')} <span>page ${view.page} of ${view.pages}</span> ${nav(view.page + 1, 'Next →', 'next')}`
  );
}
