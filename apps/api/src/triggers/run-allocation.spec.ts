import type { KvmHost } from '@hostnet/cloudstack';
import type { HostStatusRecord } from '../hosts/host-status.types';
import { rerunAllocation, runAllocation } from './run-allocation';

const host = (resourceState: string): KvmHost => ({ id: 'h1', name: 'kvm1', state: 'Up', resourceState }) as KvmHost;
const rec = (phase: HostStatusRecord['phase'], over: Partial<HostStatusRecord> = {}): HostStatusRecord => ({ hostId: 'h1', hostName: 'kvm1', zoneId: 'z', phase, at: '2026-01-01T00:00:00Z', ...over });

describe('runAllocation: may a verified run enable its host', () => {
  it('enables a host Disabled by hostnet\'s own flow (new, or its runs never enabled it)', () => {
    expect(runAllocation(host('Disabled'), [], false)).toEqual({ atTrigger: 'Disabled', enable: true });
    expect(runAllocation(host('Disabled'), [rec('failed'), rec('queued')], false)).toEqual({ atTrigger: 'Disabled', enable: true });
  });

  it('withholds it for a host disabled after hostnet enabled it, looking past runs that said nothing of the allocation', () => {
    const allocation = runAllocation(host('Disabled'), [rec('failed'), rec('queued'), rec('enabled', { dryRun: true }), rec('enabled')], false);
    expect(allocation).toMatchObject({ atTrigger: 'Disabled', enable: false, withheld: expect.stringMatching(/^the host was disabled in CloudStack after hostnet enabled it .*; fix: .*hostnet configure --host h1 --enable/) });
  });

  it('withholds it for a host a relabel rollout ran, and keeps withholding after a run that was withheld', () => {
    expect(runAllocation(host('Disabled'), [rec('failed', { relabel: { rolloutId: 'rl-1', layout: 'new', restartAgent: true } })], false)).toMatchObject({ enable: false, withheld: expect.stringContaining('relabel rollout rl-1') });
    const kept = runAllocation(host('Disabled'), [rec('verified', { reason: 'not enabled: left Disabled by choice: because; fix: x' }), rec('enabled')], false);
    expect(kept).toEqual({ atTrigger: 'Disabled', enable: false, withheld: 'because; fix: x' });
  });

  it("enables when the operator asks, and records the allocation of a host that is not Disabled", () => {
    expect(runAllocation(host('Disabled'), [rec('enabled')], true)).toEqual({ atTrigger: 'Disabled', enable: true, asked: true });
    expect(runAllocation(host('Enabled'), [rec('enabled')], false)).toEqual({ atTrigger: 'Enabled', enable: true });
  });
});

describe('rerunAllocation: a re-run stands for the run it re-runs', () => {
  const fresh = { atTrigger: 'Disabled', enable: true };
  it('keeps the first trigger\'s allocation state, so a host Enabled then and Disabled now is not enabled by the re-run', () => {
    expect(rerunAllocation({ atTrigger: 'Enabled', enable: true }, fresh)).toEqual({ atTrigger: 'Enabled', enable: true });
  });

  it('keeps a withheld enable withheld and an operator\'s ask asked; enables only when both may', () => {
    const withheld = { atTrigger: 'Disabled', enable: false, withheld: 'w' };
    expect(rerunAllocation(withheld, fresh)).toEqual(withheld);
    expect(rerunAllocation({ atTrigger: 'Disabled', enable: true, asked: true }, { ...fresh, enable: false, withheld: 'w' })).toEqual({ atTrigger: 'Disabled', enable: true, asked: true });
    expect(rerunAllocation({ atTrigger: 'Disabled', enable: true }, { ...fresh, enable: false, withheld: 'w' })).toEqual({ atTrigger: 'Disabled', enable: false, withheld: 'w' });
    expect(rerunAllocation(undefined, fresh)).toEqual(fresh);
  });
});
