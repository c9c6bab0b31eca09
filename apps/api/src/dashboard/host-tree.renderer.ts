import type { HostStatusRecord } from '../hosts/host-status.types';
import { escapeHtml as e } from './html-escape';

const NO_CLUSTER = '(no cluster)';

/**
 * The zone → cluster → host tables as an HTML fragment, every value escaped. Used for the page's
 * first paint and for each SSE snapshot, so the browser never builds markup from raw data.
 */
export function renderHostTree(records: readonly HostStatusRecord[]): string {
  if (records.length === 0) return '<p class="empty">No hosts seen yet.</p>';
  return [...groupBy(records, (r) => r.zoneId)]
    .map(([zoneId, zoneHosts]) => {
      const clusters = [...groupBy(zoneHosts, (r) => r.clusterId ?? NO_CLUSTER)]
        .map(([clusterId, hosts]) => renderCluster(clusterId, hosts))
        .join('');
      const title = label(zoneHosts.find((r) => r.zoneName)?.zoneName, zoneId);
      return `<section class="zone" data-zone-id="${e(zoneId)}"><h2>Zone ${title} ${renderCounts(zoneHosts)}</h2>${clusters}</section>`;
    })
    .join('');
}

/** A CloudStack name with its id beside it; the id alone when the name is not known. */
function label(name: string | undefined, id: string): string {
  return name ? `${e(name)} <small>${e(id)}</small>` : e(id);
}

/** "3 hosts · 2 enabled · 1 failed" */
export function renderCounts(records: readonly HostStatusRecord[]): string {
  const counts = new Map<string, number>();
  for (const r of records) counts.set(r.phase, (counts.get(r.phase) ?? 0) + 1);
  const phases = [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([p, n]) => `<span class="phase-${e(p)}">${n} ${e(p)}</span>`);
  return `<small class="counts">${records.length} host${records.length === 1 ? '' : 's'} · ${phases.join(' · ')}</small>`;
}

function renderCluster(clusterId: string, hosts: HostStatusRecord[]): string {
  const rows = [...hosts].sort((a, b) => a.hostName.localeCompare(b.hostName)).map(renderHost).join('');
  return (
    `<section class="cluster" data-cluster-id="${e(clusterId)}"><h3>Cluster ${label(hosts.find((r) => r.clusterName)?.clusterName, clusterId)} ${renderCounts(hosts)}</h3>` +
    '<table class="hosts"><thead><tr><th>Host</th><th>Phase</th><th>Last run</th><th>Reason</th><th>Timings</th>' +
    `<th>Trigger</th><th>Updated</th><th>Live job</th></tr></thead><tbody>${rows}</tbody></table></section>`
  );
}

function renderHost(r: HostStatusRecord): string {
  const reason = r.reason ?? r.outcome?.reason ?? '';
  const trigger = r.trigger ? [r.trigger.kind, r.trigger.detail, r.trigger.by].filter(Boolean).join(' ') : '';
  return (
    `<tr class="host phase-${e(r.phase)}" data-host-id="${e(r.hostId)}" data-job-id="${e(r.jobId ?? '')}">` +
    `<td class="name">${e(r.hostName)}<br><small>${e(r.hostId)}</small></td>` +
    `<td class="phase">${e(r.phase)}</td>` +
    `<td class="run">${e(r.outcome?.status ?? '')}</td>` +
    `<td class="reason">${e(reason)}</td>` +
    `<td class="timings">${e(formatTimings(r.outcome?.durationsMs))}</td>` +
    `<td class="trigger">${e(trigger)}</td>` +
    `<td class="at"><time datetime="${e(r.at)}">${e(r.at)}</time></td>` +
    '<td class="live"></td></tr>'
  );
}

/** `connect 120 ms · apply 3.2 s` */
export function formatTimings(durations: Record<string, number> | undefined): string {
  if (!durations) return '';
  return Object.entries(durations)
    .map(([step, ms]) => `${step} ${ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`}`)
    .join(' · ');
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of [...items].sort((a, b) => key(a).localeCompare(key(b)))) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}
