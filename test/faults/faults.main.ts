import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { runFaultMatrix } from './fault-matrix';
import { FaultSession } from './fault-session';
import { parseFaultArgs } from './fault-options';
import { runLabMatrix, runningLabs } from './lab/lab-matrix';
import { formatMatrix, totals, type Judged } from './matrix-report';

/**
 * `npm run faults`: every fault at every phase it applies to, on simulated hosts (and with `--lab`
 * after them, or with `--lab-only` instead, the faults that make sense on real lab hosts); prints
 * each matrix with its closing line, and exits 1 when any trial was half-applied, mutated
 * CloudStack twice (or without a verified run), lost its job or ended in a status the host contradicts.
 */
async function main(): Promise<number> {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: stopping the simulated zones, api and workers, and the labs…\n`);
      void Promise.allSettled([...[...FaultSession.running].map((s) => s.stop()), ...[...runningLabs].map((l) => l.down())]).finally(() => process.exit(130));
    });
  }
  const options = parseFaultArgs(process.argv.slice(2));
  const log = (line: string) => process.stderr.write(`[faults] ${line}\n`);
  const all: Judged[] = [];
  const json: Record<string, unknown> = { options };
  const rows = (verdicts: Judged[]) =>
    verdicts.map((v) => ({ fault: v.trial.fault, phase: v.trial.phase, host: v.trial.host.name, final: v.finalPhase, injected: v.injected, half: v.half, duplicate: v.duplicate, lost: v.lost, wrong: v.wrong, evidence: v.evidence }));
  if (options.simulated) {
    const { verdicts, steps } = await runFaultMatrix({ ...options, log });
    Object.assign(json, { steps, trials: rows(verdicts) });
    process.stdout.write(`${formatMatrix(verdicts, steps)}\n`);
    all.push(...verdicts);
  }
  if (options.lab) {
    const { verdicts, header } = await runLabMatrix({ trials: options.trials, ...(options.faults ? { faults: options.faults } : {}), hostsPerRound: options.labHosts, boundMs: options.boundMs, rollbackSeconds: 20, log });
    json['lab'] = { header, trials: rows(verdicts) };
    process.stdout.write(`\nreal lab hosts:\n${header.join('\n')}\n${formatMatrix(verdicts, [])}\n`);
    all.push(...verdicts);
  }
  if (options.json) writeFileSync(options.json, `${JSON.stringify(json, null, 2)}\n`);
  const t = totals(all);
  return t.half + t.duplicate + t.lost + t.wrong > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`faults failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(2);
  },
);
