import type { KvmHost } from '@hostnet/cloudstack';
import { enableWithheld } from './enable-guard';

const host = (resourceState: string): KvmHost => ({ id: 'h1', name: 'kvm1', state: 'Up', resourceState }) as KvmHost;
const run = { at: '2026-01-01T00:00:00.000Z' };

describe('enableWithheld: a verified run enables only a host Disabled by hostnet\'s flow', () => {
  it('lets a run enable a host Disabled at its trigger and at its result, or already Enabled', () => {
    expect(enableWithheld({ atTrigger: 'Disabled', enable: true }, host('Disabled'), run)).toBeUndefined();
    expect(enableWithheld({ atTrigger: 'Enabled', enable: true }, host('Enabled'), run)).toBeUndefined();
    expect(enableWithheld({ atTrigger: 'Disabled', enable: true }, host('Disabled'), { ...run, seenEnabledAt: '2025-12-31T23:59:59.000Z' })).toBeUndefined();
  });

  it.each([
    ['no allocation (an older api\'s run)', undefined, 'Disabled', {}, /recorded without the allocation state .*fix: configure it with "enable": true \(hostnet configure --host h1 --enable\)/],
    ['a malformed one', { atTrigger: 'Dis abled; rm', enable: true }, 'Disabled', {}, /allocation\.atTrigger must be a CloudStack resource state.*fix: configure it with "enable": true \(hostnet configure --host h1 --enable\)/],
    ['an enable its trigger withheld', { atTrigger: 'Disabled', enable: false, withheld: 'why; fix: how' }, 'Disabled', {}, /^why; fix: how$/],
    ['a host disabled during the run', { atTrigger: 'Enabled', enable: true }, 'Disabled', {}, /someone disabled it during the run; fix: .*--enable/],
    ['a host seen Enabled during the run and Disabled again', { atTrigger: 'Disabled', enable: true }, 'Disabled', { seenEnabledAt: '2026-01-01T00:00:05.000Z' }, /listed the host Enabled at 2026-01-01T00:00:05.000Z, while this run was under way/],
  ] as const)('withholds it for %s', (_name, allocation, state, extra, message) => {
    expect(enableWithheld(allocation as never, host(state), { ...run, ...extra })).toMatch(message);
  });
});
