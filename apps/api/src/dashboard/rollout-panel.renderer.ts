import { escapeHtml as e } from './html-escape';
import { renderRolloutCard } from './rollout-card.renderer';
import type { RolloutCardView } from './rollout-view';

/** The rollout region's live parts: the cards (server-escaped HTML) and a one-line status (plain text). */
export interface RolloutPanel {
  html: string;
  status: string;
}

/** What the region shows when the store could not be read (a Redis blip): the next refresh tries again. */
export const ROLLOUTS_UNREADABLE: RolloutPanel = { html: '<p class="empty">Relabel rollouts could not be read just now.</p>', status: 'relabel rollouts unavailable' };

/** Latest first, as the cards come. */
export function renderRolloutPanel(cards: readonly RolloutCardView[], zone?: string): RolloutPanel {
  if (cards.length === 0) {
    const where = zone ? ` in zone ${e(zone)}` : '';
    return { html: `<p class="empty">No relabel rollout${where} yet (POST /relabels or <code>hostnet relabel plan</code>).</p>`, status: `no relabel rollout${zone ? ` in zone ${zone}` : ''}` };
  }
  return { html: cards.map(renderRolloutCard).join(''), status: statusLine(cards) };
}

/** The region with its heading; the status line is the one part screen readers hear when it changes. */
export function renderRolloutRegion(panel: RolloutPanel): string {
  return (
    '<section id="relabel-rollouts" aria-labelledby="relabel-title"><h2 id="relabel-title">Relabel rollouts</h2>' +
    `<p id="relabel-status" role="status" aria-live="polite">${e(panel.status)}</p>` +
    `<div id="relabel-list">${panel.html}</div></section>`
  );
}

/** The rollout in flight (else the latest one): state, phase and counts, in words. */
function statusLine(cards: readonly RolloutCardView[]): string {
  const card = cards.find((c) => c.active) ?? cards[0]!;
  const { rollout: r, progress: p } = card;
  const parts = [`${p.contracted} of ${p.hosts} hosts contracted`, `${p.failed} failed`];
  if (p.inFlight.length > 0) parts.push(`in flight: ${p.inFlight.join(', ')}`);
  if (card.rollback) parts.push(`rollback: ${card.rollback.restored} of ${p.hosts} hosts back on the old layout`);
  return `rollout ${r.id} in zone ${r.zoneName} ${r.state} (phase ${r.phase}): ${parts.join(', ')}`;
}
