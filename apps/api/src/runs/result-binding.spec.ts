import type { ReportResultJobData } from '@hostnet/contracts';
import type { InFlightRun } from './host-run.registry';
import { resultRejection } from './result-binding';

const run: InFlightRun = { runId: 'r1', jobId: 'host-h1', mode: 'apply', specHash: 'spec-a', at: '2026-01-01T00:00:00Z' };
const result = (over: Partial<ReportResultJobData['request']> = {}, configureJobId = 'host-h1'): ReportResultJobData => ({
  configureJobId,
  request: {
    zoneId: 'z', hostId: 'h1', hostName: 'kvm1', specHash: 'spec-a', mode: 'apply', force: false,
    trigger: { kind: 'operator' }, requestId: 'r1', requestedAt: '2026-01-01T00:00:00Z', ...over,
  },
  outcome: { status: 'applied' },
  finishedAt: '2026-01-01T00:00:05Z',
  attempts: 1,
});

describe('resultRejection', () => {
  it('accepts the result of the run in flight, and the same result job again (a retry)', () => {
    expect(resultRejection(result(), 'result-1', run)).toBeUndefined();
    expect(resultRejection(result(), 'result-1', { ...run, resultJobId: 'result-1' })).toBeUndefined();
    const step = { rolloutId: 'rl-1', layout: 'new' as const, restartAgent: true };
    expect(resultRejection(result({ relabel: { ...step, changes: [] } }), 'result-1', { ...run, relabel: step })).toBeUndefined();
  });

  it.each([
    ['no run in flight', result(), undefined, /no run is in flight.*r1 is unknown or already handled/],
    ['another run', result({ requestId: 'forged' }), run, /run forged is not the host's run in flight \(r1\)/],
    ['another mode', result({ mode: 'dry-run' }), run, /differs .* in mode/],
    ['another spec and job', result({ specHash: 'spec-b' }, 'host-h2'), run, /in jobId, specHash/],
    ['a configure result for a resolve run', result(), { ...run, mode: 'resolve', specHash: '' }, /is an operator's resolve; it takes no configure result/],
    ['a second result for the run', result(), { ...run, resultJobId: 'result-0' }, /already has its result \(result-0\)/],
    ['a plain result for a relabel step', result(), { ...run, relabel: { rolloutId: 'rl-1', layout: 'new', restartAgent: true } }, /differs .* in relabel/],
    ['a relabel step\'s result for a plain run', result({ relabel: { rolloutId: 'rl-1', layout: 'new', changes: [], restartAgent: true } }), run, /differs .* in relabel/],
    ['another layout of the rollout', result({ relabel: { rolloutId: 'rl-1', layout: 'both', changes: [], restartAgent: true } }), { ...run, relabel: { rolloutId: 'rl-1', layout: 'new', restartAgent: true } }, /differs .* in relabel/],
    // a result claiming the enable its run was not given (or another allocation) is not this run's
    ['a result that claims the enable its run withheld', result({ allocation: { atTrigger: 'Disabled', enable: true } }), { ...run, allocation: { atTrigger: 'Disabled', enable: false, withheld: 'w' } }, /differs .* in allocation/],
    ['a result without the allocation its run has', result(), { ...run, allocation: { atTrigger: 'Disabled', enable: true } }, /differs .* in allocation/],
  ] as const)('rejects %s', (_name, r, current, message) => {
    expect(resultRejection(r, 'result-1', current)).toMatch(message);
  });
});
