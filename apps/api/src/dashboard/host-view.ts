import type { HostPhase, HostStatusRecord } from '../hosts/host-status.types';
import { attentionOf, type AttentionReason } from './host-attention';
import type { HostQuery } from './host-query';
import { compareCodePoints, compareNaturalIgnoringCase, naturalKey } from '@hostnet/intent';
import { placeMatcher } from '../hosts/place-matcher';

export interface HostRow {
  record: HostStatusRecord;
  attention?: AttentionReason;
}

/** One option of a filter: a value present in the fleet, its label and how many hosts have it. */
export interface FacetOption {
  value: string;
  label: string;
  count: number;
}

export interface HostView {
  query: HostQuery;
  /** This page's rows: attention first, then zone, cluster and host name in natural order. */
  rows: HostRow[];
  /** Hosts matching the filters, and in the whole fleet. */
  matched: number;
  total: number;
  page: number;
  pages: number;
  /** Fleet-wide hosts per phase, and how many need attention. */
  phaseCounts: Map<HostPhase, number>;
  attentionCount: number;
  facets: { zone: FacetOption[]; pod: FacetOption[]; cluster: FacetOption[]; target: FacetOption[] };
}

/**
 * Filters, orders and pages the fleet's latest statuses in one pass each: at a few thousand hosts
 * this is a millisecond or two, so every request and every live tick can afford it.
 */
export function viewHosts(records: Iterable<HostStatusRecord>, query: HostQuery, nowMs: number): HostView {
  const phaseCounts = new Map<HostPhase, number>();
  const facets = { zone: new Facet(), pod: new Facet(), cluster: new Facet(), target: new Facet() };
  const text = query.q?.toLowerCase();
  // by id (the form's choice) or by name in any case, as GET /hosts takes them
  const [inZone, inPod, inCluster] = [query.zone, query.pod, query.cluster].map((asked) => (asked ? placeMatcher(asked) : undefined));
  const matched: HostRow[] = [];
  let total = 0;
  let attentionCount = 0;
  for (const record of records) {
    total++;
    const attention = attentionOf(record, nowMs);
    if (attention) attentionCount++;
    phaseCounts.set(record.phase, (phaseCounts.get(record.phase) ?? 0) + 1);
    const target = record.outcome?.target;
    facets.zone.add(record.zoneId, record.zoneName);
    if (record.podId) facets.pod.add(record.podId, record.podName);
    if (record.clusterId) facets.cluster.add(record.clusterId, record.clusterName);
    if (target) facets.target.add(target);
    if (inZone && !inZone(record.zoneId, record.zoneName)) continue;
    if (inPod && !inPod(record.podId, record.podName)) continue;
    if (inCluster && !inCluster(record.clusterId, record.clusterName)) continue;
    if (query.target && query.target !== target) continue;
    if (query.phase && (query.phase === 'attention' ? !attention : query.phase !== record.phase)) continue;
    if (text && !searchText(record).includes(text)) continue;
    matched.push(attention ? { record, attention } : { record });
  }
  matched.sort(compareRows);
  const pages = Math.max(1, Math.ceil(matched.length / query.size));
  const page = Math.min(query.page, pages);
  return {
    query,
    rows: matched.slice((page - 1) * query.size, page * query.size),
    matched: matched.length,
    total,
    page,
    pages,
    phaseCounts,
    attentionCount,
    facets: {
      zone: facets.zone.options(),
      pod: facets.pod.options(),
      cluster: facets.cluster.options(),
      target: facets.target.options(),
    },
  };
}

/** Sort keys by record: the cache hands out the same objects until a host changes, so most are reused. */
const sortKeys = new WeakMap<HostStatusRecord, string>();

/** Zone, then cluster, then host name, each in natural order (names where known, else ids). */
function sortKey(r: HostStatusRecord): string {
  let key = sortKeys.get(r);
  if (key === undefined) {
    key = [r.zoneName ?? r.zoneId, r.clusterName ?? r.clusterId ?? '', r.hostName, r.hostId].map(naturalKey).join('\u0000');
    sortKeys.set(r, key);
  }
  return key;
}

function compareRows(a: HostRow, b: HostRow): number {
  return Number(!a.attention) - Number(!b.attention) || compareCodePoints(sortKey(a.record), sortKey(b.record));
}

/** What the text box searches: names, ids, the reason and the trigger. */
function searchText(r: HostStatusRecord): string {
  return [r.hostName, r.hostId, r.zoneName, r.podName, r.clusterName, r.reason, r.outcome?.reason, r.trigger?.by, r.jobId]
    .filter(Boolean)
    .join('\n')
    .toLowerCase();
}

class Facet {
  private readonly values = new Map<string, FacetOption>();

  add(value: string, name?: string): void {
    const option = this.values.get(value);
    if (option) {
      option.count++;
      if (name && option.label === value) option.label = `${name} (${value})`;
    } else this.values.set(value, { value, label: name ? `${name} (${value})` : value, count: 1 });
  }

  options(): FacetOption[] {
    return [...this.values.values()].sort((a, b) => compareNaturalIgnoringCase(a.label, b.label));
  }
}
