import type { RelabelPhaseFigures } from './relabel-figures';
import type { RelabelBenchResult } from './relabel.bench';

const s = (ms: number, digits = 1) => `${(ms / 1000).toFixed(digits)} s`;
const x = (ratio: number) => ratio.toFixed(2);

/** The relabel section of `npm run bench -- --relabel`: one figure per line, each ratio with its baseline. */
export function formatRelabelReport(r: RelabelBenchResult): string {
  const p = r.plan;
  const o = r.rollout;
  const c = r.cloudstack;
  const strategy = `canary ${r.strategy.canary}, maxUnavailable ${r.strategy.maxUnavailable}/cluster, abortAfter ${r.strategy.abortAfter}, maintenance ${r.strategy.maintenance}`;
  const out = [
    `== relabel on ${r.hosts} simulated OVS hosts, ${r.clusters} clusters (${r.change}) ==`,
    `strategy                      ${strategy}`,
    `hosts at once                 worker concurrency ${r.workerConcurrency}, runner expand pool ${r.runnerConcurrency}; apply latency ${r.applyLatencyMs} ms`,
    `setup (not measured)          zone ${s(r.setup.zoneStartMs)}, every host enabled by the pipeline ${s(r.setup.enableAllMs)}`,
    '-- plan',
    `POST /relabels                ${p.postMs.map((ms) => `${ms.toFixed(0)} ms`).join(', ')} (median ${p.postMedianMs.toFixed(0)} ms)`,
    `planRelabel alone, in-process ${p.plannerMs.toFixed(1)} ms  → ratio POST / planner ${x(p.ratio)}`,
    `  its inputs apart            fresh topology read ${p.topologyMs.toFixed(0)} ms, host facts from intents ${p.hostFactsMs.toFixed(0)} ms`,
    `plan hash                     ${p.planHash.slice(0, 16)}…  identical across ${p.postMs.length} plans; in-process planner ${p.plannerHashMatches ? 'same hash' : 'OTHER hash'}`,
    '-- rollout (start → done)',
    `rollout time                  ${s(o.rolloutMs)}`,
    `waves                         expand ${o.expand.rounds} round(s) + ${o.canaryWaves} canary + ${o.waves - o.canaryWaves} contract wave(s) (largest ${o.largestWave} hosts)`,
    phase('expand', o.expand),
    ...(o.switch.steps > 0 ? [phase('switch', o.switch)] : []),
    phase('contract', o.contract),
    `ideal (Σ rounds × median step) ${s(o.idealMs)}  → ratio rollout / ideal ${x(o.ratioToIdeal)}`,
    `canary step alone             ${s(o.canaryStepMs, 2)}  → ideal at it ${s(o.idealAtCanaryStepMs)}, ratio ${x(o.ratioToCanaryIdeal)}`,
    '-- CloudStack calls, start → done (simulator log)',
    `total                         ${c.total} (${c.perHost.toFixed(2)}/host); mutating ${c.mutations} (${c.mutationsPerHost.toFixed(2)}/host) vs ${c.planned} in the plan → ratio ${x(c.mutations / Math.max(1, c.planned))}`,
    ...Object.entries(c.byCommand).map(([command, n]) => `  ${command.padEnd(28)}${String(n).padStart(6)}  (${(n / r.hosts).toFixed(2)}/host)`),
    `  (listHosts without id: api's poller listing the zone every ${s(r.pollIntervalMs, 0)}, running beside the rollout)`,
    `SSH per host, start → done    ${r.ssh.connectionsPerHost.toFixed(1)} connections, ${r.ssh.execsPerHost.toFixed(1)} execs`,
    `CPU, start → done             worker ${s(r.cpuMs.worker)}, api + CloudStack simulator + SSH servers ${s(r.cpuMs.apiAndSimulator)}, simulated hosts' commands ${s(r.cpuMs.hostCommands)} (${s(r.cpuMs.hostCommands / r.hosts, 2)}/host)`,
    `worker peak RSS (VmHWM)       ${r.workerPeakRssMiB.toFixed(1)} MiB`,
  ];
  return `${out.join('\n')}\n`;
}

function phase(name: string, f: RelabelPhaseFigures): string {
  const wait = f.medianQueueWaitMs > 0 ? ` (+ ${s(f.medianQueueWaitMs, 2)} median wait for a worker slot, not counted)` : '';
  return `${`${name} phase`.padEnd(30)}${s(f.wallMs)} wall, ${f.steps} steps, median step ${s(f.medianStepMs, 2)}${wait} × ${f.rounds} rounds = ${s(f.idealMs)} ideal → ratio ${x(f.idealMs > 0 ? f.wallMs / f.idealMs : 0)}`;
}
