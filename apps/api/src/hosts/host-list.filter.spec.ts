import type { HostStatusRecord } from './host-status.types';
import { hostListFilter } from './host-list.filter';

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
    expect(() => hostListFilter({ state: 'failed' })).toThrow('unknown filter "state"; fix: filter by drifted or phase (e.g. /hosts?phase=failed,rolled-back)');
    expect(() => hostListFilter({ drifted: 'maybe' })).toThrow('drifted must be true or false');
  });
});
