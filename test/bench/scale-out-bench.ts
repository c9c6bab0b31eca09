import type { CleanupStack } from './cleanup-stack';
import { runScaleOutRound, type ScaleOutRound, type ScaleOutRoundOptions } from './scale-out-round';

/** The scale-out section: the same rollouts with 1, 2, 4… worker processes, each ratio to the 1-worker round. */
export interface ScaleOutResult {
  hosts: number;
  applyLatencyMs: number;
  /** Every worker process runs with this WORKER_CONCURRENCY: N workers hold N × this many slots. */
  concurrencyPerWorker: number;
  /** ceil(hosts / (workers × concurrency)) × apply latency, per round: what the slots alone allow. */
  rounds: (ScaleOutRound & { idealMs: number })[];
  /** Throughput (hosts/s over the workers' window) of each round over the 1-worker round's. */
  ratios: { workers: number; change: number; noop: number; ideal: number }[];
  /** Every proof of every round held: no host ran, applied or was enabled twice (or never). */
  noHostTwice: boolean;
}

/**
 * Runs one round per worker count, each on a fresh zone so every change rollout starts from unconfigured
 * hosts; rounds run one after another, so they never share the machine.
 */
export async function runScaleOutBench(workerCounts: readonly number[], opts: ScaleOutRoundOptions, cleanup: CleanupStack): Promise<ScaleOutResult> {
  const rounds: ScaleOutResult['rounds'] = [];
  for (const workers of workerCounts) {
    opts.log(`scale-out: ${workers} worker process(es) × concurrency ${opts.concurrency}, 2 api replicas, fresh zone of ${opts.hosts} hosts…`);
    const round = await runScaleOutRound(workers, opts, cleanup);
    const idealMs = Math.ceil(opts.hosts / round.totalConcurrency) * opts.applyLatencyMs;
    opts.log(`  change ${round.change.hostsPerSecond.toFixed(1)} hosts/s, no-op ${round.noop.hostsPerSecond.toFixed(1)} hosts/s; runs per worker ${round.change.runsPerWorker.join('/')}`);
    rounds.push({ ...round, idealMs });
  }
  const base = rounds.find((r) => r.workers === 1) ?? rounds[0]!;
  const ratios = rounds.map((r) => ({
    workers: r.workers,
    change: r.change.hostsPerSecond / base.change.hostsPerSecond,
    noop: r.noop.hostsPerSecond / base.noop.hostsPerSecond,
    ideal: base.idealMs > 0 && r.idealMs > 0 ? base.idealMs / r.idealMs : r.workers / base.workers,
  }));
  const noHostTwice = rounds.every((r) => [r.change, r.noop].every((x) => x.proof.results.ok && x.proof.applies.ok && x.proof.enables.ok));
  return { hosts: opts.hosts, applyLatencyMs: opts.applyLatencyMs, concurrencyPerWorker: opts.concurrency, rounds, ratios, noHostTwice };
}
