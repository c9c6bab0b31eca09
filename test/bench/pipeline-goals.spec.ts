import { cloudStackCallMix } from './cloudstack-call-mix';
import { pipelineGoals, type GoalInputs } from './pipeline-goals';
import type { BaselineFigures } from './ssh-baseline';

const baseline = (over: Partial<BaselineFigures>): BaselineFigures => ({ hosts: 1000, concurrency: 100, connections: 2, execs: 4, wallMs: 1000, perHostMs: 100, cpuMsPerHost: 10, failures: 0, ...over });

/** The calls spread evenly over 20 s. */
const calls = (counts: Record<string, number>) => {
  const list = Object.entries(counts).flatMap(([command, n]) => Array.from({ length: n }, () => command));
  return list.map((command, i) => ({ command, atMs: Math.round((20_000 * i) / (list.length - 1)) }));
};

const inputs = (over: Partial<GoalInputs> = {}): GoalInputs => ({
  hosts: 1000,
  concurrency: 100,
  applyLatencyMs: 1000,
  changeWorkerMs: 12_000,
  noopWorkerMs: 1400,
  baselineRollout: baseline({}),
  baselineOneExec: baseline({ connections: 1, execs: 1, wallMs: 1000 }),
  workerCpuMsPerHost: 15,
  workerPeakRssMiB: 300,
  lags: [{ results: 1000, unrecorded: 0, recordMeanMs: 50, recordMaxMs: 400, handledMaxMs: 900, pickupMaxMs: 100 }],
  changeCalls: cloudStackCallMix(calls({ reconnectHost: 1000, updateHost: 1000, listHosts: 200, listAsyncJobs: 9, queryAsyncJobResult: 1 }), 2000),
  ...over,
});

describe('pipelineGoals', () => {
  it('judges each goal against the figure measured in the same run', () => {
    const goals = pipelineGoals(inputs());
    expect(goals.atGoalScale).toBe(true);
    // ideal = ceil(1000/100) x (1000 + 100) = 11 s
    expect(goals.lines.map((l) => [l.goal, Number(l.value.toFixed(3)), l.limit, l.pass])).toEqual([
      ['change rollout / ideal', 1.091, 1.25, true],
      ['no-op re-run / baseline 1 connect + exec', 1.4, 1.5, true],
      ['worker CPU per host / baseline CPU per host', 1.5, 2, true],
      ['worker peak RSS', 300, 400, true],
      ['api keeps up: result recorded after worker reported it', 400, 1000, true],
      // 2,210 calls against 2,000 mutations + 200 list pages + ceil(20 s / 2 s) polls
      ['CloudStack calls / (mutations + list pages + polls)', 1, 1, true],
    ]);
    expect(goals.lines[5]!.detail).toBe('2210 calls = 2000 mutations + 200 list pages + 10 async polls (9 listAsyncJobs, 1 queryAsyncJobResult) + 0 other; allowed 2210, polls = 10 = ceil(20.00 s / 2000 ms poll interval)');
    expect(goals.lines[0]!.detail).toContain('ceil(1000/100) x (1000 ms apply + 100 ms baseline per-host round trips)');
  });

  it('prints a goal over its limit as failed, never moving the limit', () => {
    const goals = pipelineGoals(inputs({
      changeWorkerMs: 30_000, workerCpuMsPerHost: 40, workerPeakRssMiB: 500,
      // one queryAsyncJobResult per reconnect: the polls are not bounded by the interval
      changeCalls: cloudStackCallMix(calls({ reconnectHost: 1000, updateHost: 1000, listHosts: 200, queryAsyncJobResult: 1000 }), 2000),
    }));
    expect(goals.lines.filter((l) => !l.pass).map((l) => [l.goal, l.limit])).toEqual([
      ['change rollout / ideal', 1.25],
      ['worker CPU per host / baseline CPU per host', 2],
      ['worker peak RSS', 400],
      ['CloudStack calls / (mutations + list pages + polls)', 1],
    ]);
  });

  it('fails api keeping up when a result was never recorded, and a figure that could not be measured', () => {
    const goals = pipelineGoals(inputs({ lags: [{ results: 10, unrecorded: 1, recordMeanMs: 10, recordMaxMs: 20, handledMaxMs: 30, pickupMaxMs: 5 }], baselineRollout: baseline({ perHostMs: NaN }) }));
    expect(goals.lines[4]).toMatchObject({ pass: false, value: 20 });
    expect(goals.lines[4]!.detail).toContain('1 not recorded');
    expect(goals.lines[0]!.pass).toBe(false);
  });

  it('says when the run is not at the scale the goals are stated for', () => {
    const goals = pipelineGoals(inputs({ hosts: 50, concurrency: 10 }));
    expect(goals.atGoalScale).toBe(false);
    expect(goals.lines[3]!.detail).toContain('10 hosts in flight (the goal is stated for 100)');
  });

  it('compares the worker CPU with bare ssh2 CPU read beside the change rollout when the bench has it, and still shows the idle ratio', () => {
    // idle after the rollouts: 15 / 5 = 3.0 x; beside the rollout, under the same load: 15 / 9 = 1.67 x
    const goals = pipelineGoals(inputs({ baselineRollout: baseline({ cpuMsPerHost: 5 }), baselineBesideChange: baseline({ hosts: 250, concurrency: 25, cpuMsPerHost: 9 }) }));
    const cpu = goals.lines[2]!;
    expect([cpu.goal, Number(cpu.value.toFixed(2)), cpu.pass]).toEqual(['worker CPU per host / baseline CPU per host', 1.67, true]);
    expect(cpu.detail).toBe('15.0 ms / 9.0 ms (bare ssh2 beside the change rollout, 250 hosts, 2.00 connections + 4.00 execs per host; after the rollouts, on the idle machine: 5.0 ms, 3.00 x)');
    const withoutSample = pipelineGoals(inputs({ baselineRollout: baseline({ cpuMsPerHost: 5 }) })).lines[2]!;
    expect([Number(withoutSample.value.toFixed(2)), withoutSample.pass]).toEqual([3, false]);
    expect(withoutSample.detail).toContain('bare ssh2 after the rollouts');
  });
});
