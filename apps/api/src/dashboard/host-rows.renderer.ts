import { standingReasonOf } from '@hostnet/contracts';
import { escapeHtml as e } from './html-escape';
import type { HostRow } from './host-view';

const MAX_REASON = 240;

/** The host table's header; rows go in its tbody (#host-rows) so live deltas can replace them one by one. */
export function renderHostTable(rows: readonly HostRow[]): string {
  return (
    '<table class="hosts"><caption class="visually-hidden">Hosts, those needing attention first</caption><thead><tr>' +
    '<th scope="col">Host</th><th scope="col">Zone</th><th scope="col">Pod</th><th scope="col">Cluster</th><th scope="col">Phase</th>' +
    '<th scope="col">Target</th><th scope="col">Reason</th><th scope="col">Timings</th><th scope="col">Trigger</th>' +
    '<th scope="col">Updated</th><th scope="col">Live job</th></tr></thead>' +
    `<tbody id="host-rows">${renderHostRows(rows)}</tbody></table>`
  );
}

export function renderHostRows(rows: readonly HostRow[]): string {
  if (rows.length === 0) return '<tr class="empty-row"><td colspan="11" class="empty">No host matches.</td></tr>';
  return rows.map(renderHostRow).join('');
}

/** One host as a table row; every value escaped. The host name is the button that opens its drawer. */
export function renderHostRow({ record: r, attention }: HostRow): string {
  const reason = r.reason ?? standingReasonOf(r.outcome) ?? '';
  const trigger = r.trigger ? [r.trigger.kind, r.trigger.detail, r.trigger.by].filter(Boolean).join(' ') : '';
  const badge = attention && attention !== r.phase ? ` <span class="badge">${e(attention)}</span>` : '';
  return (
    `<tr class="host phase-${e(r.phase)}${attention ? ' attention' : ''}" data-host-id="${e(r.hostId)}" data-phase="${e(r.phase)}">` +
    `<th scope="row" class="name"><button type="button" class="open-host" data-open-host="${e(r.hostId)}" aria-haspopup="dialog">${e(r.hostName)}</button>` +
    `<br><small>${e(r.hostId)}</small></th>` +
    `<td class="zone">${e(r.zoneName ?? r.zoneId)}</td>` +
    `<td class="pod">${e(r.podName ?? r.podId ?? '')}</td>` +
    `<td class="cluster">${e(r.clusterName ?? r.clusterId ?? '')}</td>` +
    `<td class="phase">${e(r.phase)}${badge}</td>` +
    `<td class="target">${e(r.outcome?.target ?? '')}</td>` +
    `<td class="reason">${e(reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON)}…` : reason)}</td>` +
    `<td class="timings">${e(formatTimings(r.outcome?.durationsMs))}</td>` +
    `<td class="trigger">${e(trigger)}</td>` +
    `<td class="at"><time datetime="${e(r.at)}">${e(r.at)}</time></td>` +
    '<td class="live"></td></tr>'
  );
}

/** `facts 85 ms · apply 3.2 s` (stages that took no time are left out) */
export function formatTimings(durations: Record<string, number> | undefined): string {
  if (!durations) return '';
  return Object.entries(durations)
    .filter(([, ms]) => ms > 0)
    .map(([step, ms]) => `${step} ${formatMs(ms)}`)
    .join(' · ');
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
