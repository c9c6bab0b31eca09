import type { ScaleOutResult } from './scale-out-bench';
import type { OnceCheck } from './scale-out-proof';

const f = (n: number, digits = 1) => n.toFixed(digits);

/** The scale-out section as a person reads it: throughput per worker count, its ratio to 1 worker, the proofs. */
export function formatScaleOutReport(s: ScaleOutResult): string[] {
  const out = [
    `== scale-out: ${s.hosts} simulated hosts, apply latency ${s.applyLatencyMs} ms, each worker process WORKER_CONCURRENCY ${s.concurrencyPerWorker} (N workers = N × ${s.concurrencyPerWorker} slots), 2 api replicas (one in its own process), one Redis, a fresh zone per round ==`,
    'throughput = hosts / (first host queued → last result reported); ratios are to the 1-worker round of this run;',
    'ideal = what the slots alone allow (ceil(N / C) / ceil(N / (workers × C)) with the apply latency); workers, both apis and the simulated hosts share this machine\'s cores',
    `${'workers'.padEnd(8)} ${'slots'.padStart(5)} ${'change h/s'.padStart(10)} ${'ratio'.padStart(6)} ${'no-op h/s'.padStart(10)} ${'ratio'.padStart(6)} ${'ideal'.padStart(6)}  all enabled after   runs per worker (change)`,
  ];
  for (const r of s.rounds) {
    const ratio = s.ratios.find((x) => x.workers === r.workers)!;
    out.push(
      `${String(r.workers).padEnd(8)} ${String(r.totalConcurrency).padStart(5)} ${f(r.change.hostsPerSecond, 2).padStart(10)} ${`${f(ratio.change, 2)}x`.padStart(6)} ${f(r.noop.hostsPerSecond, 2).padStart(10)} ${`${f(ratio.noop, 2)}x`.padStart(6)} ${`${f(ratio.ideal, 2)}x`.padStart(6)}  ` +
        `${(r.change.finalMs !== undefined ? `${f(r.change.finalMs / 1000, 2)} s` : 'not within wait').padEnd(18)}  ${r.change.runsPerWorker.join(' / ')}`,
    );
  }
  out.push(`-- no host ran twice: ${s.noHostTwice ? 'pass' : 'FAIL'} (per host: worker results, on-host applies begun, CloudStack Enable calls)`);
  for (const r of s.rounds) {
    out.push(`${r.workers} worker(s) change: ${proof('results', r.change.proof.results)}, ${proof('applies', r.change.proof.applies)}, ${proof('enables', r.change.proof.enables)}; outcomes ${JSON.stringify(r.change.outcomes)}`);
    out.push(`${r.workers} worker(s) no-op:  ${proof('results', r.noop.proof.results)}, ${proof('applies', r.noop.proof.applies)}, ${proof('enables', r.noop.proof.enables)}; outcomes ${JSON.stringify(r.noop.outcomes)}`);
  }
  return out;
}

function proof(what: string, c: OnceCheck): string {
  const counts = c.min === c.max ? `${c.min}` : `${c.min}..${c.max}`;
  return `${what} ${counts}/host (want ${c.expected}) ${c.ok ? 'ok' : `FAIL ${c.off.join(', ')}`}`;
}
