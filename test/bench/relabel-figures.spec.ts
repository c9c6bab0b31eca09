import type { RecordedCall } from '@hostnet/simulator/cloudstack';
import type { RolloutView } from '../../apps/api/src/relabels/relabels.service';
import type { HostStatusRecord } from '../../apps/api/src/hosts/host-status.types';
import { median, queueWaits, relabelCallFigures, relabelRolloutFigures } from './relabel-figures';

const T0 = Date.parse('2026-12-03T08:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const step = (purpose: 'expand' | 'contract', from: number, to: number, runId?: string) => ({ purpose, layout: 'new', restartAgent: true, startedAt: at(from), endedAt: at(to), result: 'verified', ...(runId ? { runId } : {}) });
const planStep = (hostId: string) => ({ hostId, hostName: hostId, before: [], after: [] });

/** Four hosts: expanded two at once (1 s each), then canary h1 (2 s) and one wave of h2–h4 (3 s each). */
function view(): RolloutView {
  const hosts = {
    h1: { hostId: 'h1', steps: [step('expand', 0, 1000), step('contract', 2000, 4000)] },
    h2: { hostId: 'h2', steps: [step('expand', 0, 1000), step('contract', 4000, 7000)] },
    h3: { hostId: 'h3', steps: [step('expand', 1000, 2000), step('contract', 4000, 7000)] },
    h4: { hostId: 'h4', steps: [step('expand', 1000, 2000), step('contract', 4000, 7000)] },
  };
  const plan = {
    expand: ['h1', 'h2', 'h3', 'h4'].map(planStep),
    switch: [],
    waves: [
      { index: 0, kind: 'canary', steps: [planStep('h1')] },
      { index: 1, kind: 'wave', steps: ['h2', 'h3', 'h4'].map(planStep) },
    ],
  };
  return { hosts, plan, startedAt: at(0), endedAt: at(8000), updatedAt: at(8000) } as unknown as RolloutView;
}

describe('relabelRolloutFigures', () => {
  it('sets the rollout against rounds × the median step of each phase, measured in the same rollout', () => {
    const f = relabelRolloutFigures(view(), T0 - 500, { runnerConcurrency: 2, workerConcurrency: 10 });
    expect(f.rolloutMs).toBe(8500);
    expect({ waves: f.waves, canary: f.canaryWaves, largest: f.largestWave }).toEqual({ waves: 2, canary: 1, largest: 3 });
    expect(f.expand).toEqual({ steps: 4, rounds: 2, medianStepMs: 1000, medianQueueWaitMs: 0, idealMs: 2000, wallMs: 2000 });
    expect(f.contract).toEqual({ steps: 4, rounds: 2, medianStepMs: 3000, medianQueueWaitMs: 0, idealMs: 6000, wallMs: 5000 });
    expect(f.switch).toMatchObject({ steps: 0, rounds: 0, idealMs: 0 });
    expect(f.idealMs).toBe(8000);
    expect(f.ratioToIdeal).toBeCloseTo(8500 / 8000);
    expect(f.canaryStepMs).toBe(2000);
    expect(f.idealAtCanaryStepMs).toBe(2000 + 2 * 2000);
  });

  it('counts expand in rounds of the smaller of runner pool and worker, contract in waves (a wave starts at once)', () => {
    const f = relabelRolloutFigures(view(), T0, { runnerConcurrency: 10, workerConcurrency: 3 });
    expect(f.expand.rounds).toBe(2);
    expect(f.contract.rounds).toBe(2);
  });

  it("leaves a run's wait for a worker slot out of its step time", () => {
    const v = view();
    (v.hosts as Record<string, { steps: unknown[] }>)['h3']!.steps[0] = step('expand', 0, 2000, 'run-h3');
    (v.hosts as Record<string, { steps: unknown[] }>)['h4']!.steps[0] = step('expand', 0, 2000, 'run-h4');
    const f = relabelRolloutFigures(v, T0, { runnerConcurrency: 4, workerConcurrency: 2 }, new Map([['run-h3', 1000], ['run-h4', 1000]]));
    expect(f.expand).toMatchObject({ medianStepMs: 1000, medianQueueWaitMs: 500, rounds: 2, idealMs: 2000 });
  });
});

describe('queueWaits', () => {
  it('is queued → applying of each run in the histories; a run never seen applying has none', () => {
    const rec = (runId: string, phase: string, ms: number) => ({ runId, phase, at: at(ms) }) as HostStatusRecord;
    const waits = queueWaits([[rec('a', 'enabled', 900), rec('a', 'applying', 300), rec('a', 'queued', 100)], [rec('b', 'queued', 0)]]);
    expect([...waits]).toEqual([['a', 200]]);
  });
});

describe('relabelCallFigures', () => {
  const call = (command: string, params: Record<string, string> = {}) => ({ command, params, method: 'GET', status: 200, at: new Date(T0), faulted: false }) as RecordedCall;

  it('counts by command, one host listing apart from zone listings, and mutations against the plan', () => {
    const calls = [call('listHosts'), call('listHosts', { id: 'h1' }), call('listHosts', { id: 'h2' }), call('prepareHostForMaintenance', { id: 'h1' }), call('queryAsyncJobResult'), call('updateTrafficType')];
    const f = relabelCallFigures(calls, 2, 2);
    expect(f.byCommand).toEqual({ 'listHosts id=…': 2, listHosts: 1, prepareHostForMaintenance: 1, queryAsyncJobResult: 1, updateTrafficType: 1 });
    expect(Object.keys(f.byCommand)[0]).toBe('listHosts id=…');
    expect({ total: f.total, perHost: f.perHost, mutations: f.mutations, planned: f.planned }).toEqual({ total: 6, perHost: 3, mutations: 2, planned: 2 });
  });
});

describe('median', () => {
  it.each([
    [[], 0],
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
  ])('of %j is %d', (xs, m) => expect(median(xs)).toBe(m));
});
