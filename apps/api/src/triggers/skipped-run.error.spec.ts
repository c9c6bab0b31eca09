import { skippedRunError } from './skipped-run.error';

describe('skippedRunError', () => {
  const base = { hostId: 'h-1', hostName: 'kvm1', enqueued: false };

  it('answers 409 while another run or a rollout holds the host, 422 for a spec that cannot run; the body names the host by id and name', () => {
    const busy = skippedRunError({ ...base, skipped: 'host is held by relabel rollout rl-1 until it ends', conflict: true });
    expect([busy.getStatus(), busy.getResponse()]).toEqual([409, { statusCode: 409, message: 'host is held by relabel rollout rl-1 until it ends', hostId: 'h-1', hostName: 'kvm1' }]);
    const invalid = skippedRunError({ ...base, skipped: 'profiles: storageAddress is missing' });
    expect([invalid.getStatus(), invalid.getResponse()]).toEqual([422, { statusCode: 422, message: 'profiles: storageAddress is missing', hostId: 'h-1', hostName: 'kvm1' }]);
  });
});
