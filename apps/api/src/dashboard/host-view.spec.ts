import type { HostStatusRecord } from '../hosts/host-status.types';
import { attentionOf, STUCK_AFTER_MS } from './host-attention';
import { parseHostQuery, querySearch } from './host-query';
import { viewHosts } from './host-view';

const NOW = Date.parse('2025-01-01T12:00:00.000Z');
const at = new Date(NOW - 60_000).toISOString();
const host = (hostName: string, fields: Partial<HostStatusRecord> = {}): HostStatusRecord => ({
  hostId: `id-${hostName}`, hostName, zoneId: 'z1', clusterId: 'c1', phase: 'enabled', at, ...fields,
});
const names = (records: HostStatusRecord[], query: Record<string, string> = {}) =>
  viewHosts(records, parseHostQuery(query), NOW).rows.map((r) => r.record.hostName);

describe('attentionOf', () => {
  it('flags failed ends, drift and runs that stopped moving; nothing else', () => {
    expect(attentionOf(host('a', { phase: 'failed' }), NOW)).toBe('failed');
    expect(attentionOf(host('a', { phase: 'rolled-back' }), NOW)).toBe('rolled-back');
    expect(attentionOf(host('a', { phase: 'enable-failed' }), NOW)).toBe('enable-failed');
    expect(attentionOf({ ...host('a'), drifted: true }, NOW)).toBe('drifted');
    // an enabled host its last drift check could not reach: its next run would stop the same way
    expect(attentionOf({ ...host('a'), dryRun: true, dryRunIncomplete: true }, NOW)).toBe('check-incomplete');
    expect(attentionOf({ ...host('a'), dryRun: true, dryRunIncomplete: true, drifted: true }, NOW)).toBe('check-incomplete');
    expect(attentionOf(host('a', { phase: 'applying', at: new Date(NOW - STUCK_AFTER_MS - 1).toISOString() }), NOW)).toBe('stuck');
    expect(attentionOf(host('a', { phase: 'queued' }), NOW)).toBeUndefined();
    expect(attentionOf(host('a', { phase: 'enabled', at: '2020-01-01T00:00:00Z' }), NOW)).toBeUndefined();
  });
});

describe('viewHosts', () => {
  const fleet = [
    host('kvm10'),
    host('kvm2'),
    host('kvm1', { phase: 'failed', reason: 'step netplan-apply exited 1' }),
    host('kvm3', { zoneId: 'z2', zoneName: 'Zone B', podId: 'p2', podName: 'pod-b1', clusterId: 'c9', outcome: { status: 'applied', target: 'ifupdown-debian' } }),
    host('kvm20', { phase: 'rolled-back' }),
    host('kvm4', { phase: 'queued', at: new Date(NOW - STUCK_AFTER_MS - 5).toISOString() }),
  ];

  it('lists hosts needing attention first, then the rest, each in natural order', () => {
    expect(names(fleet)).toEqual(['kvm1', 'kvm4', 'kvm20', 'kvm2', 'kvm10', 'kvm3']);
  });

  it('filters by zone, pod, cluster, phase, target, attention and text', () => {
    expect(names(fleet, { zone: 'z2' })).toEqual(['kvm3']);
    // by name too, in any case, as GET /hosts and the CLI take them
    expect(names(fleet, { zone: 'zone b' })).toEqual(['kvm3']);
    expect(names(fleet, { pod: 'POD-B1' })).toEqual(['kvm3']);
    expect(names(fleet, { zone: 'Zone' })).toEqual([]);
    expect(names(fleet, { pod: 'p2' })).toEqual(['kvm3']);
    expect(names(fleet, { cluster: 'c1', phase: 'enabled' })).toEqual(['kvm2', 'kvm10']);
    expect(names(fleet, { phase: 'failed' })).toEqual(['kvm1']);
    expect(names(fleet, { phase: 'attention' })).toEqual(['kvm1', 'kvm4', 'kvm20']);
    expect(names(fleet, { target: 'ifupdown-debian' })).toEqual(['kvm3']);
    expect(names(fleet, { q: 'NETPLAN' })).toEqual(['kvm1']);
    expect(names(fleet, { q: 'id-kvm1' })).toEqual(['kvm1', 'kvm10']);
  });

  it('pages the matches and counts phases over the whole fleet', () => {
    const many = Array.from({ length: 60 }, (_, i) => host(`kvm${i + 1}`));
    const view = viewHosts(many, parseHostQuery({ page: '2', size: '25' }), NOW);
    expect(view.rows.map((r) => r.record.hostName)).toEqual(Array.from({ length: 25 }, (_, i) => `kvm${i + 26}`));
    expect([view.page, view.pages, view.matched, view.total]).toEqual([2, 3, 60, 60]);
    expect(viewHosts(many, parseHostQuery({ page: '99' }), NOW).page).toBe(2);
    const counted = viewHosts(fleet, parseHostQuery({ zone: 'z2' }), NOW);
    expect(Object.fromEntries(counted.phaseCounts)).toEqual({ enabled: 3, failed: 1, 'rolled-back': 1, queued: 1 });
    expect(counted.attentionCount).toBe(3);
    expect(counted.facets.zone.map((o) => [o.label, o.count])).toEqual([['z1', 5], ['Zone B (z2)', 1]]);
    // the pod filter shows the pod's name as CloudStack gave it when the host was triggered, beside its id
    expect(counted.facets.pod.find((o) => o.value === 'p2')?.label).toBe('pod-b1 (p2)');
    expect(names(fleet, { q: 'POD-B1' })).toEqual(['kvm3']);
  });
});

describe('parseHostQuery and querySearch', () => {
  it('keeps known filters, falls back to defaults on bad values and writes short URLs', () => {
    const query = parseHostQuery({ phase: 'failed', page: 'x', size: '7', extra: '1', zone: ['a', 'b'], q: '  ' });
    expect(query).toEqual({ phase: 'failed', page: 1, size: 50, zone: 'a', q: undefined, pod: undefined, cluster: undefined, target: undefined });
    expect(querySearch(query, { page: 3 })).toBe('?zone=a&phase=failed&page=3');
    expect(querySearch(parseHostQuery({}))).toBe('');
    expect(parseHostQuery({ phase: 'enabld', zone: 'a' })).toMatchObject({ phase: undefined, zone: 'a' });
    expect(parseHostQuery({ phase: ' attention ' }).phase).toBe('attention');
  });
});
