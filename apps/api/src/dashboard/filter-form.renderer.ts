import { escapeHtml as e } from './html-escape';
import { PAGE_SIZES } from './host-query';
import type { FacetOption, HostView } from './host-view';

/**
 * The filters as a plain GET form (it works without the script; the script submits it in place).
 * Options come from the fleet itself, with how many hosts each has.
 */
export function renderFilterForm(view: HostView): string {
  const { query, facets } = view;
  const phaseOptions: FacetOption[] = [{ value: 'attention', label: 'needs attention', count: view.attentionCount }, ...facets.phase];
  return (
    '<form id="filters" method="get" action="/dashboard" role="search">' +
    `<label>Search <input type="search" name="q" value="${e(query.q ?? '')}" placeholder="name, id, reason" autocomplete="off"></label>` +
    select('zone', 'Zone', facets.zone, query.zone) +
    select('pod', 'Pod', facets.pod, query.pod) +
    select('cluster', 'Cluster', facets.cluster, query.cluster) +
    select('phase', 'Phase', phaseOptions, query.phase) +
    select('target', 'Target', facets.target, query.target) +
    `<label>Per page <select name="size">${PAGE_SIZES.map((n) => `<option${n === query.size ? ' selected' : ''}>${n}</option>`).join('')}</select></label>` +
    '<button type="submit">Apply</button> <a href="/dashboard" id="clear-filters">Clear</a>' +
    '</form>'
  );
}

function select(name: string, label: string, options: readonly FacetOption[], selected: string | undefined): string {
  const known = options.some((o) => o.value === selected);
  const all = selected && !known ? [...options, { value: selected, label: selected, count: 0 }] : options;
  const items = all.map((o) => `<option value="${e(o.value)}"${o.value === selected ? ' selected' : ''}>${e(o.label)} (${o.count})</option>`);
  return `<label>${label} <select name="${name}"><option value="">all</option>${items.join('')}</select></label>`;
}
