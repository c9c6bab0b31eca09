import type { CloudStackCallMix } from './cloudstack-call-mix';
import type { BaselineFigures } from './ssh-baseline';
import type { ResultLag } from './result-lag';

/** One goal of issue 12, judged on figures of one run. */
export interface GoalLine {
  goal: string;
  /** The measured figure in the goal's unit (a ratio, MiB or ms). */
  value: number;
  limit: number;
  unit: 'x' | 'MiB' | 'ms';
  pass: boolean;
  /** What was measured and the in-run figure it is a ratio to. */
  detail: string;
}

/** The goals and whether this run was at the scale they are stated for. */
export interface PipelineGoals {
  /** 1,000 hosts at concurrency 100 with 1 s apply latency. */
  atGoalScale: boolean;
  lines: GoalLine[];
}

/** What the goals are judged on. */
export interface GoalInputs {
  hosts: number;
  concurrency: number;
  applyLatencyMs: number;
  changeWorkerMs: number;
  noopWorkerMs: number;
  /** Bare ssh2, same connections and execs per host as the worker's change rollout. */
  baselineRollout: BaselineFigures;
  /** Bare ssh2, one connect + one exec per host. */
  baselineOneExec: BaselineFigures;
  /** Bare ssh2 doing a change run's SSH work on sampled hosts while the change rollout ran (its CPU read under the same load). */
  baselineBesideChange?: BaselineFigures;
  workerCpuMsPerHost: number;
  workerPeakRssMiB: number;
  /** Of both rollouts. */
  lags: ResultLag[];
  /** The change rollout's CloudStack calls, from api's start to every host final. */
  changeCalls: CloudStackCallMix;
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Judges the goals; the limits are the issue's, never tuned to a run. */
export function pipelineGoals(x: GoalInputs): PipelineGoals {
  const rounds = Math.ceil(x.hosts / x.concurrency);
  const idealMs = rounds * (x.applyLatencyMs + x.baselineRollout.perHostMs);
  const inFlight = Math.min(x.hosts, x.concurrency);
  const recordMaxMs = Math.max(0, ...x.lags.map((l) => l.recordMaxMs));
  const unrecorded = x.lags.reduce((n, l) => n + l.unrecorded, 0);
  const line = (goal: string, value: number, limit: number, unit: GoalLine['unit'], detail: string, pass = value <= limit): GoalLine => ({ goal, value, limit, unit, pass: pass && Number.isFinite(value), detail });
  return {
    atGoalScale: x.hosts >= 1000 && x.concurrency === 100 && x.applyLatencyMs === 1000,
    lines: [
      line('change rollout / ideal', x.changeWorkerMs / idealMs, 1.25, 'x',
        `${s(x.changeWorkerMs)} / ideal ${s(idealMs)} = ceil(${x.hosts}/${x.concurrency}) x (${x.applyLatencyMs} ms apply + ${Math.round(x.baselineRollout.perHostMs)} ms baseline per-host round trips)`),
      line('no-op re-run / baseline 1 connect + exec', x.noopWorkerMs / x.baselineOneExec.wallMs, 1.5, 'x',
        `${s(x.noopWorkerMs)} / ${s(x.baselineOneExec.wallMs)} (bare ssh2, 1 connect + 1 exec per host, concurrency ${x.concurrency})`),
      cpuLine(x, line),
      line('worker peak RSS', x.workerPeakRssMiB, 400, 'MiB',
        `VmHWM with ${inFlight} hosts in flight${inFlight < 100 ? ' (the goal is stated for 100)' : ''}`),
      line('api keeps up: result recorded after worker reported it', recordMaxMs, 1000, 'ms',
        `max over ${x.lags.reduce((n, l) => n + l.results, 0)} results of both rollouts (mean ${Math.max(0, ...x.lags.map((l) => l.recordMeanMs))} ms)` +
          (unrecorded > 0 ? `; ${unrecorded} not recorded by the end of the wait` : ''),
        recordMaxMs <= 1000 && unrecorded === 0),
      callsLine(x.changeCalls, line),
    ],
  };
}

/**
 * The worker's CPU per host against bare ssh2's for the same connections and execs, read under the same load: the
 * sample beside the change rollout when there is one (the idle baseline's ratio is given beside it), else the idle one.
 */
function cpuLine(x: GoalInputs, line: (goal: string, value: number, limit: number, unit: GoalLine['unit'], detail: string) => GoalLine): GoalLine {
  const work = (b: BaselineFigures) => `${b.connections.toFixed(2)} connections + ${b.execs.toFixed(2)} execs per host`;
  const idle = x.baselineRollout;
  const idleRatio = x.workerCpuMsPerHost / idle.cpuMsPerHost;
  const beside = x.baselineBesideChange;
  if (!beside) {
    return line('worker CPU per host / baseline CPU per host', idleRatio, 2, 'x',
      `${x.workerCpuMsPerHost.toFixed(1)} ms / ${idle.cpuMsPerHost.toFixed(1)} ms (bare ssh2 after the rollouts, ${work(idle)})`);
  }
  return line('worker CPU per host / baseline CPU per host', x.workerCpuMsPerHost / beside.cpuMsPerHost, 2, 'x',
    `${x.workerCpuMsPerHost.toFixed(1)} ms / ${beside.cpuMsPerHost.toFixed(1)} ms (bare ssh2 beside the change rollout, ${beside.hosts} hosts, ${work(beside)}; ` +
      `after the rollouts, on the idle machine: ${idle.cpuMsPerHost.toFixed(1)} ms, ${idleRatio.toFixed(2)} x)`);
}

/** Issue 12: calls per change rollout <= mutations + list pages + ceil(duration / poll interval). */
function callsLine(c: CloudStackCallMix, line: (goal: string, value: number, limit: number, unit: GoalLine['unit'], detail: string) => GoalLine): GoalLine {
  const allowed = c.mutations + c.listPages + c.pollTicks;
  const polls = c.asyncPolls.listAsyncJobs + c.asyncPolls.queryAsyncJobResult;
  return line('CloudStack calls / (mutations + list pages + polls)', c.total / allowed, 1, 'x',
    `${c.total} calls = ${c.mutations} mutations + ${c.listPages} list pages + ${polls} async polls ` +
      `(${c.asyncPolls.listAsyncJobs} listAsyncJobs, ${c.asyncPolls.queryAsyncJobResult} queryAsyncJobResult) ` +
      `+ ${c.total - c.mutations - c.listPages - polls} other; allowed ${allowed}, polls = ${c.pollTicks} = ceil(${s(c.windowMs)} / ${c.asyncPollIntervalMs} ms poll interval)`);
}
