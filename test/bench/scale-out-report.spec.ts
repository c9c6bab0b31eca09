import type { ScaleOutResult } from './scale-out-bench';
import { checkCounts, countBy } from './scale-out-proof';
import { formatScaleOutReport } from './scale-out-report';

const hosts = ['kvm1', 'kvm2'];
const once = checkCounts(hosts, countBy(hosts), 1);
const never = checkCounts(hosts, new Map(), 0);
const rollout = (hostsPerSecond: number, runsPerWorker: number[], proof = { results: once, applies: once, enables: once }) => ({
  windowMs: 2000 / hostsPerSecond,
  hostsPerSecond,
  finalMs: 3000,
  outcomes: { applied: 2 },
  runsPerWorker,
  proof,
});
const round = (workers: number, hps: number, runs: number[], idealMs: number, proof?: Parameters<typeof rollout>[2]) => ({
  workers,
  totalConcurrency: workers * 2,
  apiReplicas: 2,
  zoneStartMs: 500,
  idealMs,
  change: rollout(hps, runs, proof),
  noop: rollout(hps * 10, runs, { results: once, applies: never, enables: never }),
});

describe('formatScaleOutReport', () => {
  it('prints throughput per worker count with its ratio to 1 worker, and the proofs', () => {
    const result: ScaleOutResult = {
      hosts: 2,
      applyLatencyMs: 1000,
      concurrencyPerWorker: 2,
      rounds: [round(1, 0.5, [2], 2000), round(2, 0.9, [1, 1], 1000)],
      ratios: [{ workers: 1, change: 1, noop: 1, ideal: 1 }, { workers: 2, change: 1.8, noop: 1.8, ideal: 2 }],
      noHostTwice: true,
    };
    const text = formatScaleOutReport(result).join('\n');
    expect(text).toMatch(/each worker process WORKER_CONCURRENCY 2 \(N workers = N × 2 slots\), 2 api replicas/);
    expect(text).toMatch(/^2 +4 +0\.90 +1\.80x +9\.00 +1\.80x +2\.00x +3\.00 s +1 \/ 1$/m);
    expect(text).toMatch(/no host ran twice: pass/);
    expect(text).toMatch(/2 worker\(s\) no-op: +results 1\/host \(want 1\) ok, applies 0\/host \(want 0\) ok, enables 0\/host \(want 0\) ok/);
  });

  it('names the host that ran twice', () => {
    const twice = checkCounts(hosts, countBy(['kvm1', 'kvm1', 'kvm2']), 1);
    const result: ScaleOutResult = {
      hosts: 2,
      applyLatencyMs: 1000,
      concurrencyPerWorker: 2,
      rounds: [round(1, 0.5, [3], 2000, { results: twice, applies: once, enables: once })],
      ratios: [{ workers: 1, change: 1, noop: 1, ideal: 1 }],
      noHostTwice: false,
    };
    const text = formatScaleOutReport(result).join('\n');
    expect(text).toMatch(/no host ran twice: FAIL/);
    expect(text).toMatch(/results 1\.\.2\/host \(want 1\) FAIL kvm1: 2/);
  });
});
