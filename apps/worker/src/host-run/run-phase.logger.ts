import type { LoggerService } from '@nestjs/common';
import type { ApplyOutcomeSummary } from '@hostnet/contracts';

/** Who a log line is about: the BullMQ job, the CloudStack host, the run on the host, the attempt. */
export interface RunLogContext {
  jobId: string;
  hostId: string;
  runId: string;
  attempt: number;
}

type Fields = Record<string, string | number | boolean | undefined>;

/**
 * One structured line per phase of a host run, `phase=<p> jobId=… hostId=… runId=… attempt=… …`.
 * Lines carry names, statuses, exit codes and durations only: never file contents, command output
 * or anything from the environment.
 */
export class RunPhaseLogger {
  constructor(
    private readonly logger: Pick<LoggerService, 'log' | 'warn'>,
    private readonly context: RunLogContext,
  ) {}

  /** A stage the workflow reports as it starts it (facts, pending-run, apply, verify, …). */
  started(stage: string): void {
    this.line('log', stage, { state: 'started' });
  }

  /** What a finished run proved, phase by phase (each step, verify, confirm), then its outcome. */
  finished(outcome: ApplyOutcomeSummary): void {
    for (const step of outcome.steps ?? []) {
      this.line(step.exitCode === 0 ? 'log' : 'warn', 'step', { step: step.name, exitCode: step.exitCode, durationMs: step.durationMs });
    }
    const verification = outcome.verification;
    if (verification) {
      const failed = verification.checks.filter((c) => !c.ok).map((c) => c.name);
      this.line(verification.ok ? 'log' : 'warn', 'verify', { ok: verification.ok, checks: verification.checks.length, failed: failed.join(',') || undefined });
    }
    if (outcome.status === 'applied' || outcome.rollback) {
      this.line(outcome.status === 'applied' ? 'log' : 'warn', 'confirm', {
        confirmed: outcome.status === 'applied',
        rolledBack: outcome.rollback?.triggered,
      });
    }
    const ok = outcome.status !== 'failed' && outcome.status !== 'rolled-back';
    this.line(ok ? 'log' : 'warn', 'outcome', { status: outcome.status, target: outcome.target, reason: outcome.reason });
  }

  /** A run that threw before changing the host, and whether BullMQ will try it again. */
  threw(reason: string, decision: { permanent: boolean; retry: boolean }): void {
    this.line('warn', 'outcome', { status: 'failed', permanent: decision.permanent, retry: decision.retry, reason });
  }

  private line(level: 'log' | 'warn', phase: string, fields: Fields): void {
    const { jobId, hostId, runId, attempt } = this.context;
    const all: Fields = { phase, jobId, hostId, runId, attempt, ...fields };
    const text = Object.entries(all)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => `${key}=${formatValue(value!)}`)
      .join(' ');
    this.logger[level](text);
  }
}

/** Plain tokens stay bare; anything else is JSON-quoted so a value can neither span lines nor forge a key. */
function formatValue(value: string | number | boolean): string {
  const text = String(value);
  return /^[A-Za-z0-9._:/@+,-]+$/.test(text) ? text : JSON.stringify(text);
}
