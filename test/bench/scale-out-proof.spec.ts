import { checkCounts, countBy, deltas } from './scale-out-proof';

describe('scale-out proof: every host counted exactly as often as it had to be', () => {
  const hosts = ['kvm1', 'kvm2', 'kvm3'];

  it('passes when every host was counted once', () => {
    expect(checkCounts(hosts, countBy(['kvm2', 'kvm1', 'kvm3']), 1)).toEqual({ expected: 1, hosts: 3, min: 1, max: 1, off: [], ok: true });
  });

  it('names a host run twice and a host never run', () => {
    const check = checkCounts(hosts, countBy(['kvm1', 'kvm1', 'kvm3']), 1);
    expect(check).toMatchObject({ ok: false, min: 0, max: 2, off: ['kvm1: 2', 'kvm2: 0'] });
  });

  it('counts a key outside the zone as a fault', () => {
    expect(checkCounts(hosts, countBy(['kvm1', 'kvm2', 'kvm3', 'kvm9']), 1)).toMatchObject({ ok: false, off: ['kvm9: 1'] });
  });

  it('checks "never" (a no-op rollout applies nothing) with expected 0', () => {
    expect(checkCounts(hosts, deltas(hosts, [1, 1, 1], [1, 1, 1]), 0)).toMatchObject({ ok: true, max: 0 });
    expect(checkCounts(hosts, deltas(hosts, [1, 1, 1], [1, 2, 1]), 0)).toMatchObject({ ok: false, off: ['kvm2: 1'] });
  });
});
