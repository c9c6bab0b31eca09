import type { PipelineBenchResult } from './pipeline.bench';
import type { PipelineGoals } from './pipeline-goals';

const f = (n: number, digits = 1) => n.toFixed(digits);

/** Per-host cost of each rollout and the in-run ssh2 baseline, one figure per line. */
export function costLines(p: PipelineBenchResult): string[] {
  const b = p.baseline;
  const cost = (title: string, c: PipelineBenchResult['cost']['change'], lag: PipelineBenchResult['resultLag']['change']) =>
    `${title.padEnd(30)}worker CPU ${f(c.workerCpuMsPerHost)} ms/host, api CPU ${f(c.apiCpuMsPerHost)} ms/host, Redis ${f(c.redisCommandsPerHost)} commands/host and ${f(c.redisCpuMsPerHost)} ms CPU/host` +
    ` (bench reads taken out: ${f(c.benchReads.cpuMsPerHost)} ms, ${f(c.benchReads.redisCommandsPerHost)} commands); api recorded results ${lag.recordMeanMs}/${lag.recordMaxMs} ms (mean/max) after the worker (picked up within ${lag.pickupMaxMs} ms; api's event loop delayed up to ${f(lag.apiLoopDelayMaxMs ?? NaN)} ms);` +
    ` simulated hosts' CPU ${f(c.simulatorsCpuMsPerHost)} ms/host (not hostnet's; same cores)`;
  const base = (title: string, x: PipelineBenchResult['baseline']['rollout']) =>
    `${title.padEnd(30)}${f(x.wallMs / 1000, 2)} s wall, ${f(x.perHostMs)} ms per host, CPU ${f(x.cpuMsPerHost)} ms/host` +
    ` (${f(x.connections, 2)} connections + ${f(x.execs, 2)} execs per host${x.failures ? `, ${x.failures} hosts failed` : ''})`;
  const commands = (title: string, c: PipelineBenchResult['cost']['change']) =>
    `${title.padEnd(30)}${c.redisTopCommandsPerHost.map(([name, perHost]) => `${name} ${f(perHost)}`).join(', ')}`;
  return [
    '-- cost per host (worker and api each read from their own process; simulators in a third)',
    cost('change rollout', p.cost.change, p.resultLag.change),
    cost('no-op rollout', p.cost.noop, p.resultLag.noop),
    '-- Redis commands per host, most run first (evalsha: BullMQ\'s Lua scripts)',
    commands('change rollout', p.cost.change),
    commands('no-op rollout', p.cost.noop),
    `-- in-run baseline: bare ssh2 connect + exec \`true\`, same hosts, concurrency ${b.rollout.concurrency}, own process`,
    base("change rollout's SSH work", b.rollout),
    base('1 connect + 1 exec per host', b.oneExec),
    ...(b.besideChange ? [base('beside the change rollout', b.besideChange) + ` on every 4th host, concurrency ${b.besideChange.concurrency}, while the rollout ran`] : []),
  ];
}

/** The issue's goals with pass/FAIL, each with its measured value, limit and the figure it is a ratio to. */
export function goalTable(goals: PipelineGoals): string[] {
  const unit = (v: number, u: string) => (u === 'x' ? `${f(v, 2)} x` : `${f(v, u === 'ms' ? 0 : 1)} ${u}`);
  return [
    `== goals (issue 12; stated for 1,000 hosts, concurrency 100, 1 s apply latency${goals.atGoalScale ? '' : ' — this run is NOT at that scale'}) ==`,
    `${'result'.padEnd(6)} ${'goal'.padEnd(56)} ${'measured'.padStart(10)} ${'limit'.padStart(10)}  ratio to / detail`,
    ...goals.lines.map((l) => `${(l.pass ? 'pass' : 'FAIL').padEnd(6)} ${l.goal.padEnd(56)} ${unit(l.value, l.unit).padStart(10)} ${unit(l.limit, l.unit).padStart(10)}  ${l.detail}`),
  ];
}
