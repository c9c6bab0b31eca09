import 'reflect-metadata';
import { cpus } from 'node:os';
import { writeFileSync } from 'node:fs';
import { parseBenchArgs } from './bench-options';
import { formatBenchReport, type BenchReport } from './bench-report';
import { CleanupStack } from './cleanup-stack';
import { runPipelineBench } from './pipeline.bench';
import { formatRelabelReport } from './relabel-bench-report';
import { runRelabelBench, type RelabelBenchResult } from './relabel.bench';
import { runRenderBench } from './render.bench';
import { runRenderZoneBench } from './render-zone.bench';
import { runScaleOutBench } from './scale-out-bench';

/**
 * `npm run bench -- [flags]`: render throughput, the pipeline on simulated hosts, and (--lab) hostnet vs
 * Ansible; --relabel runs a relabel on simulated hosts in place of the pipeline and render-zone benches;
 * --workers 1,2,4 adds the scale-out section (--scale-out-only: that section alone, after the render bench).
 */
async function main(): Promise<void> {
  const options = parseBenchArgs(process.argv.slice(2));
  const cleanup = new CleanupStack();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: cleaning up…\n`);
      void cleanup.run().finally(() => process.exit(130));
    });
  }
  const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
  try {
    log('render bench (one core, 1 s per phase)…');
    const report: BenchReport = {
      at: new Date().toISOString(),
      machine: { cpus: cpus().length, node: process.version },
      render: await runRenderBench({ durationMs: 1000 }),
    };
    let relabel: RelabelBenchResult | undefined;
    if (options.relabel) {
      log(`relabel bench: ${options.hosts} hosts in ${options.clusters} clusters, worker concurrency ${options.concurrency}, maxUnavailable ${options.maxUnavailable}, apply latency ${options.applyLatencyMs} ms`);
      relabel = await runRelabelBench({ ...options, log }, cleanup);
    }
    if (options.renderZoneHosts > 0 && !options.relabel && !options.scaleOutOnly) {
      log(`render --zone --all on ${options.renderZoneHosts} simulated hosts, in-process…`);
      report.renderZone = await runRenderZoneBench({ hosts: options.renderZoneHosts });
    }
    if (!options.renderOnly && !options.relabel && !options.scaleOutOnly) {
      log(`pipeline bench: ${options.hosts} hosts, concurrency ${options.concurrency}, apply latency ${options.applyLatencyMs} ms`);
      report.pipeline = await runPipelineBench({ ...options, log }, cleanup);
    }
    if (options.workers.length > 1 && !options.renderOnly && !options.relabel) {
      report.scaleOut = await runScaleOutBench(options.workers, { ...options, log }, cleanup);
    }
    if (options.lab) {
      const { runLabBench } = await import('./lab.bench');
      report.lab = await runLabBench({ hosts: options.labHosts, timeoutMs: options.timeoutMs, log }, cleanup);
    }
    process.stdout.write(formatBenchReport(report));
    if (relabel) process.stdout.write(`\n${formatRelabelReport(relabel)}`);
    if (options.json) writeFileSync(options.json, `${JSON.stringify({ options, ...report, ...(relabel ? { relabel } : {}) }, null, 2)}\n`);
  } finally {
    const failures = await cleanup.run();
    for (const failure of failures) log(`cleanup failed: ${failure}`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
