import { escapeHtml as e } from './html-escape';
import { PAGE_SIZES } from './host-query';
import { PHASE_ORDER } from './host-summary.renderer';
import type { FacetOption, HostView } from './host-view';

type Option = Pick<FacetOption, 'value' | 'label'> & { count?: number };

/**
 * The filters as a plain GET form (it works without the script; the script submits it in place).
 * Zones, pods, clusters and targets come from the fleet at page load, with how many hosts each has;
 * phases are all listed, as hosts move between them while the page is open (their counts are live
 * above the table).
 */
export function renderFilterForm(view: HostView): string {
  const { query, facets } = view;
  const phaseOptions = [{ value: 'attention', label: 'needs attention' }, ...PHASE_ORDER.map((phase) => ({ value: phase, label: phase }))];
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

function select(name: string, label: string, options: readonly Option[], selected: string | undefined): string {
  const known = options.some((o) => o.value === selected);
  const all = selected && !known ? [...options, { value: selected, label: selected, count: 0 }] : options;
  const items = all.map(
    (o) => `<option value="${e(o.value)}"${o.value === selected ? ' selected' : ''}>${e(o.label)}${o.count === undefined ? '' : ` (${o.count})`}</option>`,
  );
  return `<label>${label} <select name="${name}"><option value="">all</option>${items.join('')}</select></label>`;
}
