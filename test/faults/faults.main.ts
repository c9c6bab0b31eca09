import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { runFaultMatrix } from './fault-matrix';
import { FaultSession } from './fault-session';
import { parseFaultArgs } from './fault-options';
import { formatMatrix, totals } from './matrix-report';

/**
 * `npm run faults`: every fault at every phase it applies to, on simulated hosts; prints the matrix
 * and one closing line, and exits 1 when any trial was half-applied, mutated CloudStack twice (or
 * without a verified run), lost its job or ended in a status the host contradicts.
 */
async function main(): Promise<number> {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: stopping the simulated zones, api and workers…\n`);
      void Promise.allSettled([...FaultSession.running].map((s) => s.stop())).finally(() => process.exit(130));
    });
  }
  const options = parseFaultArgs(process.argv.slice(2));
  const log = (line: string) => process.stderr.write(`[faults] ${line}\n`);
  const { verdicts, steps } = await runFaultMatrix({ ...options, log });
  if (options.json) {
    const rows = verdicts.map((v) => ({ fault: v.trial.fault, phase: v.trial.phase, host: v.trial.host.name, final: v.finalPhase, injected: v.injected, half: v.half, duplicate: v.duplicate, lost: v.lost, wrong: v.wrong, evidence: v.evidence }));
    writeFileSync(options.json, `${JSON.stringify({ options, steps, trials: rows }, null, 2)}\n`);
  }
  process.stdout.write(`${formatMatrix(verdicts, steps)}\n`);
  const t = totals(verdicts);
  return t.half + t.duplicate + t.lost + t.wrong > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`faults failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(2);
  },
);
