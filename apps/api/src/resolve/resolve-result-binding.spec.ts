import type { ReportResolveJobData } from '@hostnet/contracts';
import type { InFlightRun } from '../runs/host-run.registry';
import { resolveResultRejection } from './resolve-result-binding';

const run: InFlightRun = { runId: 'r1', jobId: 'resolve-h1', mode: 'resolve', specHash: '', at: '2026-01-01T00:00:00Z' };
const result = (requestId = 'r1', resolveJobId = 'resolve-h1'): ReportResolveJobData => ({
  resolveJobId,
  request: {
    zoneId: 'z', hostId: 'h1', hostName: 'kvm1', action: 'rollback', reason: 'stuck',
    trigger: { kind: 'operator', by: 'alice' }, requestId, requestedAt: '2026-01-01T00:00:00Z',
  },
  outcome: { status: 'rolled-back', detail: 'run x rolled back' },
  finishedAt: '2026-01-01T00:00:05Z',
  attempts: 1,
});

describe('resolveResultRejection', () => {
  it('accepts the result of the resolve in flight, and the same result job again', () => {
    expect(resolveResultRejection(result(), 'result-1', run)).toBeUndefined();
    expect(resolveResultRejection(result(), 'result-1', { ...run, resultJobId: 'result-1' })).toBeUndefined();
  });

  it.each([
    ['no run in flight', result(), undefined, /no run is in flight/],
    ['a configure run in flight', result(), { ...run, mode: 'apply', specHash: 's' }, /is a configure run \(apply\), not a resolve/],
    ['another run', result('forged'), run, /resolve run forged is not the host's run in flight \(r1\)/],
    ['another job', result('r1', 'host-h1'), run, /differs .* in jobId/],
    ['a second result', result(), { ...run, resultJobId: 'result-0' }, /already has its result \(result-0\)/],
  ] as const)('rejects %s', (_name, r, current, message) => {
    expect(resolveResultRejection(r, 'result-1', current)).toMatch(message);
  });
});
