import { escapeHtml as e } from './html-escape';
import type { RolloutCardView, RolloutFailureView, RolloutHostView, RolloutRollbackView, RolloutWaveView } from './rollout-view';

/**
 * One rollout as an <article>: heading with its state, the label changes, counts with a progress bar,
 * the rollback's progress when aborting, failed hosts first, then the waves in plan order. Element ids
 * derive from the rollout id so the live script can keep focus and open/closed state across re-renders.
 */
export function renderRolloutCard(card: RolloutCardView): string {
  const r = card.rollout;
  const id = `rollout-${r.id}`;
  return (
    `<article class="rollout state-${e(r.state)}${card.active ? ' active' : ''}" id="${e(id)}" data-rollout-id="${e(r.id)}" data-fp="${e(card.fingerprint)}" aria-labelledby="${e(id)}-title">` +
    `<h3 id="${e(id)}-title"><code>${e(r.id)}</code> · ${e(r.zoneName)} · <span class="rollout-state">${e(r.state)}</span> <small>phase ${e(r.phase)}</small></h3>` +
    (r.reason ? `<p class="reason">${e(r.reason)}</p>` : '') +
    (r.lastError ? `<p class="reason">Last error (retried): ${e(r.lastError)}</p>` : '') +
    renderChanges(card) +
    renderCounts(card) +
    (card.rollback ? renderRollback(card.rollback, card.progress.hosts) : '') +
    renderFailures(card.failures, id, r.id) +
    renderWaves(card, id) +
    `<p class="times"><small>planned ${time(r.createdAt)}${r.startedAt ? ` · started ${time(r.startedAt)}` : ''}${r.endedAt ? ` · ended ${time(r.endedAt)}` : ''}${r.request.requestedBy ? ` · by ${e(r.request.requestedBy)}` : ''}</small></p>` +
    '</article>'
  );
}

function renderChanges({ rollout, plan }: RolloutCardView): string {
  const names = new Map((plan?.changes ?? []).map((c) => [`${c.physicalNetworkId}|${c.trafficType}`, c.physicalNetworkName]));
  const items = rollout.changes.map((c) => {
    const network = names.get(`${c.physicalNetworkId}|${c.trafficType}`) ?? c.physicalNetworkId;
    return `<li>${e(network)} · ${e(c.trafficType)}: <code>${e(c.oldLabel)}</code> → <code>${e(c.newLabel)}</code></li>`;
  });
  return `<ul class="changes" aria-label="Label changes">${items.join('')}</ul>`;
}

function renderCounts({ progress: p, rollout }: RolloutCardView): string {
  const inFlight = p.inFlight.length > 0 ? ` (<span class="in-flight">${p.inFlight.map((n) => e(n)).join(', ')}</span>)` : '';
  return (
    `<p class="counts"><progress max="${p.hosts}" value="${p.contracted}" aria-label="Hosts contracted of ${e(rollout.id)}">${p.contracted}/${p.hosts}</progress> ` +
    `<strong>${p.hosts}</strong> hosts · <strong>${p.expanded}</strong> expanded · <strong>${p.contracted}</strong> contracted · ` +
    `<strong class="${p.failed > 0 ? 'fail' : ''}">${p.failed}</strong> failed · <strong>${p.inFlight.length}</strong> in flight${inFlight}</p>`
  );
}

function renderRollback(b: RolloutRollbackView, hosts: number): string {
  const where = b.step === 0 ? 'waiting for the steps in flight to finish' : `step ${b.step} of ${b.steps} (${e(b.phase)})`;
  return (
    `<p class="rollback"><strong>Rollback</strong>: ${where} · <progress max="${hosts}" value="${b.restored}" aria-label="Hosts back on the old layout">${b.restored}/${hosts}</progress> ` +
    `${b.restored}/${hosts} hosts back on the old layout · ${b.flipped} label${b.flipped === 1 ? '' : 's'} still flipped · ${b.frozen} host${b.frozen === 1 ? '' : 's'} still disabled</p>`
  );
}

/**
 * A host's name as the button that opens its relabel diff (the dashboard's dialog). Ids derive from the
 * card's, so focus comes back to it after a re-render; the name stays the button's only text.
 */
function diffButton(cardId: string, where: string, rolloutId: string, hostId: string, hostName: string): string {
  return `<button type="button" class="open-diff" id="${e(`${cardId}-${where}-${hostId}`)}" data-relabel-diff="${e(rolloutId)}" data-host="${e(hostId)}" aria-haspopup="dialog">${e(hostName)}</button>`;
}

function renderFailures(failures: RolloutFailureView[], cardId: string, rolloutId: string): string {
  if (failures.length === 0) return '';
  const rows = failures.map(
    (f) =>
      `<tr class="${f.recovered ? 'recovered' : 'failed'}"><th scope="row">${diffButton(cardId, 'failed', rolloutId, f.hostId, f.hostName)}<br><small>${e(f.hostId)}</small></th>` +
      `<td>${e(f.step)}${f.rollback ? ' <span class="badge">rollback</span>' : ''}${f.recovered ? ' <small>(verified since)</small>' : ''}</td>` +
      `<td>${e(f.runStatus ?? '')}${f.runId ? `<br><small>run ${e(f.runId)}</small>` : ''}</td>` +
      `<td class="reason">${e(f.reason)}</td><td>${f.at ? time(f.at) : ''}</td></tr>`,
  );
  return (
    '<table class="failures"><caption>Failed hosts</caption><thead><tr><th scope="col">Host</th><th scope="col">Step</th>' +
    `<th scope="col">Run</th><th scope="col">Reason</th><th scope="col">Ended</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
  );
}

function renderWaves(card: RolloutCardView, id: string): string {
  if (!card.plan) return '<p class="empty">The plan of this rollout could not be read: waves are not shown.</p>';
  const rows = card.waves.map((w) => renderWave(w, id, card.rollout.id));
  return (
    `<details class="waves" id="${e(id)}-waves"${card.active ? ' open' : ''}><summary id="${e(id)}-waves-toggle">Waves (${card.waves.length}) and hosts</summary>` +
    '<table class="waves"><caption class="visually-hidden">Waves in order, canary first; failed and in-flight hosts first in each</caption><thead><tr>' +
    '<th scope="col">Wave</th><th scope="col">Hosts</th><th scope="col">Contracted</th><th scope="col">Failed</th><th scope="col">In flight</th><th scope="col">Host states</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table></details>`
  );
}

function renderWave(w: RolloutWaveView, cardId: string, rolloutId: string): string {
  const c = w.counts;
  return (
    `<tr${c.failed > 0 ? ' class="attention"' : c.inFlight > 0 ? ' class="running"' : ''}><th scope="row">${e(w.label)}</th>` +
    `<td>${c.hosts}</td><td>${c.contracted}</td><td>${c.failed}</td><td>${c.inFlight}</td>` +
    `<td><ul class="chips">${w.hosts.map((h) => renderChip(h, cardId, rolloutId)).join('')}</ul></td></tr>`
  );
}

function renderChip(h: RolloutHostView, cardId: string, rolloutId: string): string {
  const detail = [h.detail, h.unverified ? `unverified ${h.unverified}` : ''].filter(Boolean).join(', ');
  return `<li class="chip host-${h.state}" title="${e(h.hostId)}">${diffButton(cardId, 'host', rolloutId, h.hostId, h.hostName)} <span class="chip-state">${h.state}${detail ? `: ${e(detail)}` : ''}</span></li>`;
}

function time(at: string): string {
  return `<time datetime="${e(at)}">${e(at)}</time>`;
}
