import { nothingRunError, skippedRunError } from './skipped-run.error';

describe('skippedRunError', () => {
  const base = { hostId: 'h-1', hostName: 'kvm1', enqueued: false };

  it('answers 409 while another run or a rollout holds the host, 422 for a spec that cannot run; the body names the host by id and name', () => {
    const busy = skippedRunError({ ...base, skipped: 'host is held by relabel rollout rl-1 until it ends', conflict: true });
    expect([busy.getStatus(), busy.getResponse()]).toEqual([409, { statusCode: 409, message: 'host is held by relabel rollout rl-1 until it ends', hostId: 'h-1', hostName: 'kvm1' }]);
    const invalid = skippedRunError({ ...base, skipped: 'profiles: storageAddress is missing' });
    expect([invalid.getStatus(), invalid.getResponse()]).toEqual([422, { statusCode: 422, message: 'profiles: storageAddress is missing', hostId: 'h-1', hostName: 'kvm1' }]);
  });
});

describe('nothingRunError', () => {
  const host = (n: number, skipped?: string, conflict?: true) => ({ hostId: `h-${n}`, hostName: `kvm${n}`, enqueued: skipped === undefined, ...(skipped ? { skipped } : {}), ...(conflict ? { conflict } : {}) });

  it('is no error while any host ran (or joined a run)', () => {
    expect(nothingRunError('zone z1', [host(1), host(2, 'held', true)])).toBeUndefined();
    expect(nothingRunError('zone z1', [])).toBeUndefined();
  });

  it('answers 409 when every host was held, 422 when any refused its spec, naming hosts and keeping every answer', () => {
    const held = nothingRunError('zone z1', [host(1, 'host is held by relabel rollout rl-1', true), host(2, 'host is held by relabel rollout rl-1', true)])!;
    expect(held.getStatus()).toBe(409);
    expect(held.getResponse()).toMatchObject({ statusCode: 409, message: 'no host of zone z1 was run: kvm1: host is held by relabel rollout rl-1; kvm2: host is held by relabel rollout rl-1' });
    const seven = Array.from({ length: 7 }, (_, i) => host(i + 1, i === 0 ? 'zone lint refuses a run' : 'busy', i === 0 ? undefined : true));
    const refused = nothingRunError('cluster c1', seven)!;
    expect(refused.getStatus()).toBe(422);
    expect(refused.getResponse()).toMatchObject({ message: expect.stringMatching(/^no host of cluster c1 was run: kvm1: zone lint refuses a run; kvm2: busy; .*kvm5: busy; … \(7 hosts in all, each in results\)$/) });
    expect((refused.getResponse() as { results: unknown[] }).results).toHaveLength(7);
  });
});
