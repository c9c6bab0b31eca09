import type { PipelineBenchResult } from './pipeline.bench';
import type { RenderBenchResult } from './render.bench';
import type { RenderZoneBenchResult } from './render-zone.bench';
import type { RolloutFigures } from './rollout-figures';
import { costLines, goalTable } from './goal-table';
import type { LabBenchResult } from './lab-bench-result';
import { formatLabReport } from './lab-bench-report';
import type { ScaleOutResult } from './scale-out-bench';
import { formatScaleOutReport } from './scale-out-report';

/** Everything one `npm run bench` measured (also the --json document). */
export interface BenchReport {
  at: string;
  machine: { cpus: number; node: string };
  render: RenderBenchResult;
  renderZone?: RenderZoneBenchResult;
  pipeline?: PipelineBenchResult;
  /** `--workers 1,2,4`: the rollouts with several worker processes and two api replicas on one Redis. */
  scaleOut?: ScaleOutResult;
  lab?: LabBenchResult;
}

const f = (n: number, digits = 1) => n.toFixed(digits);

/** The report a person reads: one figure per line, ratios spelled out. */
export function formatBenchReport(report: BenchReport): string {
  const out: string[] = [];
  const r = report.render;
  out.push('== render (one core) ==');
  out.push(`intents rendered/s            ${f(r.intentsPerSecond, 0)}  (targets: ${r.targets.join(', ')})`);
  out.push(`JSON.stringify baseline ops/s ${f(r.baselineOpsPerSecond, 0)}`);
  out.push(`ratio render / baseline       ${f(r.ratio, 4)}`);
  const z = report.renderZone;
  if (z) {
    out.push('', `== hostnet render --zone Z --all on ${z.hosts} simulated hosts (in-process, ${z.files} files) ==`);
    out.push(`whole command                 ${f(z.renderAllMs / 1000, 2)} s wall, ${f(z.renderAllCpuMs / 1000, 2)} s CPU  (goal < 5 s: ${z.renderAllMs < 5000 ? 'pass' : 'FAIL'})`);
    out.push(`baseline: same files written  ${f(z.writeOnlyMs / 1000, 2)} s  → ratio command / baseline ${f(z.ratio, 2)}`);
  }
  const p = report.pipeline;
  if (p) {
    out.push('', `== pipeline on ${p.hosts} simulated hosts (${p.hostModel} host model in ${p.hostThreads} threads, concurrency ${p.concurrency}, apply latency ${p.applyLatencyMs} ms per host apply) ==`);
    out.push(`zone start (not measured below) ${f(p.zoneStartMs / 1000)} s`);
    out.push(...rollout('change rollout', p.change), ...rollout('no-op rollout', p.noop));
    const pass = Object.entries(p.pollerPass.byCommand).map(([k, v]) => `${k} ${v}`).join(', ');
    out.push(`-- poller pass, steady state: ${p.pollerPass.total} CloudStack calls (${f(p.pollerPass.total / p.hosts, 4)}/host): ${pass}`);
    out.push(`worker peak RSS (VmHWM)       ${f(p.workerPeakRssMiB.afterChange)} MiB after change, ${f(p.workerPeakRssMiB.afterNoop)} MiB after no-op`);
    out.push(...costLines(p), '', ...goalTable(p.goals));
  }
  if (report.scaleOut) out.push('', ...formatScaleOutReport(report.scaleOut));
  if (report.lab) out.push('', ...formatLabReport(report.lab));
  return `${out.join('\n')}\n`;
}

function rollout(title: string, x: RolloutFigures): string[] {
  const rt = Object.entries(x.roundTripsPerHost).map(([k, v]) => `${k} ${f(v, 2)}`).join(', ');
  const hosts = Math.max(1, x.hostsFinal);
  const cs = Object.entries(x.cloudstack.byCommand).map(([k, v]) => `${k} ${v} (${f(v / hosts, 2)}/host)`).join(', ');
  return [
    `-- ${title}: ${JSON.stringify(x.outcomes)}`,
    `worker: every run reported    ${f(x.workerMs / 1000, 2)} s  (${f(x.hostsPerSecond)} hosts/s, ${x.extraRuns} extra runs)`,
    ...(x.ratioToIdeal !== undefined ? [`ideal ceil(N/C) x latency     ${f(x.idealMs / 1000, 2)} s  → ratio worker wall / ideal ${f(x.ratioToIdeal, 2)}`] : []),
    x.finalMs !== undefined
      ? `api: every host final         ${f(x.finalMs / 1000, 2)} s${x.finalRatioToIdeal !== undefined ? `  → ratio / ideal ${f(x.finalRatioToIdeal, 2)}` : ''}`
      : `api: hosts final at wait end  ${x.hostsFinal}/${x.hosts} (api handles results one at a time)`,
    ...(x.sshDoneMs !== undefined
      ? [`last SSH exec at              ${f(x.sshDoneMs / 1000, 2)} s${x.sshRatioToIdeal !== undefined ? `  → ratio to ideal ${f(x.sshRatioToIdeal, 2)}` : ''} (the worker's share)`]
      : []),
    `SSH round trips per host      ${rt} (max ${x.roundTripsMax})`,
    `seen by hosts, per host       ${f(x.sshConnectionsPerHost, 2)} SSH connections, ${f(x.sshExecsPerHost, 2)} execs`,
    `CloudStack calls              ${x.cloudstack.total} (${f(x.cloudstack.perHost, 2)} per host): ${cs}`,
    `mean stage time per host      ${Object.entries(x.stageMsPerHost).map(([k, v]) => `${k} ${v} ms`).join(', ')}`,
    ...(x.timeline
      ? [`timeline ms (mean/max)        queued ${x.timeline.queued.mean}/${x.timeline.queued.max}, run done ${x.timeline.result.mean}/${x.timeline.result.max}, enabled ${x.timeline.enabled.mean}/${x.timeline.enabled.max}`]
      : []),
    ...x.failures.map((e) => `not verified: ${e.host} ${e.status}: ${e.reason.slice(0, 300)}`),
  ];
}
