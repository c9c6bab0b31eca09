import type { HostStatusRecord } from './host-status.types';
import { byPlacement, hostListFilter } from './host-list.filter';

const record = (phase: HostStatusRecord['phase'], drifted?: boolean) => ({ hostId: `h-${phase}`, phase, at: '2026-12-06T00:00:00Z', ...(drifted === undefined ? {} : { drifted }) }) as HostStatusRecord;
const all = [record('enabled'), record('failed', true), record('rolled-back'), record('enabled', true)];
const ids = (query: Record<string, unknown>) => all.filter(hostListFilter(query)).map((r) => `${r.hostId}${r.drifted ? '*' : ''}`);

describe('GET /hosts filters', () => {
  it('no filter: every host; phase: any of the phases given; drifted: the last drift check; both together', () => {
    expect(ids({})).toEqual(['h-enabled', 'h-failed*', 'h-rolled-back', 'h-enabled*']);
    expect(ids({ phase: 'failed,rolled-back' })).toEqual(['h-failed*', 'h-rolled-back']);
    expect(ids({ drifted: 'true' })).toEqual(['h-failed*', 'h-enabled*']);
    expect(ids({ drifted: 'true', phase: 'enabled' })).toEqual(['h-enabled*']);
    // the api token a GET may carry is the guard's, not a filter
    expect(ids({ token: 'x', phase: 'failed' })).toEqual(['h-failed*']);
  });

  it('refuses what it cannot filter by, naming it and the fix, instead of listing every host', () => {
    expect(() => hostListFilter({ phase: 'bogus' })).toThrow('phase "bogus": "bogus" is no phase; fix: one or more of queued, applying, verified, no-op, dry-run, rolled-back, failed, enabled, enable-failed, resolved, comma-separated');
    expect(() => hostListFilter({ phase: ['failed', 'enabled'] })).toThrow('phase ["failed","enabled"]: give it once');
    expect(() => hostListFilter({ state: 'failed' })).toThrow('unknown filter "state"; fix: filter by drifted or phase or zone or cluster (e.g. /hosts?phase=failed,rolled-back)');
    expect(() => hostListFilter({ zone: '' })).toThrow('zone must be a zone id or name, given once (e.g. /hosts?zone=zone1)');
    expect(() => hostListFilter({ cluster: ['c1', 'c2'] })).toThrow('cluster must be a cluster id or name, given once (e.g. /hosts?cluster=cluster1)');
    expect(() => hostListFilter({ drifted: 'maybe' })).toThrow('drifted must be true or false');
  });
});

describe('GET /hosts by zone and cluster, in placement order', () => {
  const at = (hostId: string, hostName: string, zoneName: string, clusterName: string) =>
    ({ hostId, hostName, zoneId: `z-${zoneName}`, zoneName, clusterId: `c-${clusterName}`, clusterName, phase: 'enabled', at: '2026-12-06T00:00:00Z' }) as HostStatusRecord;
  const hosts = [at('h5', 'kvm10', 'EU', 'c2'), at('h1', 'kvm2', 'US', 'c1'), at('h2', 'kvm9', 'EU', 'c1'), at('h3', 'kvm1', 'EU', 'c2'), at('h4', 'kvm1', 'EU', 'c1')];

  it('lists zone, cluster and host names in order, numbers by value (kvm9 before kvm10)', () => {
    expect([...hosts].sort(byPlacement).map((r) => r.hostId)).toEqual(['h4', 'h2', 'h3', 'h5', 'h1']);
  });

  it('filters by a zone or cluster id or name, in any case', () => {
    const names = (query: Record<string, unknown>) => hosts.filter(hostListFilter(query)).sort(byPlacement).map((r) => r.hostId);
    expect(names({ zone: 'eu' })).toEqual(['h4', 'h2', 'h3', 'h5']);
    expect(names({ zone: 'z-US' })).toEqual(['h1']);
    expect(names({ zone: 'EU', cluster: 'C2' })).toEqual(['h3', 'h5']);
    expect(names({ cluster: 'nowhere' })).toEqual([]);
  });
});
