import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { ResolveHostJobData, ResolveOutcomeSummary } from '@hostnet/contracts';
import { settleJobFailure } from '../host-run/job-failure';
import { RunPhaseLogger } from '../host-run/run-phase.logger';
import { reportWhileHeld, type HeldJobLock } from '../reporting/job-lock';
import { ResultReporter } from '../reporting/result-reporter.service';
import { HostResolveService } from './host-resolve.service';

/**
 * A resolve-host job, as the configure path treats its own: every final outcome is reported to api, by
 * the worker that still holds the job only; a transient failure (the host unreachable) is rethrown for
 * BullMQ's backoff until the last attempt.
 */
@Injectable()
export class ResolveJobHandler {
  private readonly logger = new Logger(ResolveJobHandler.name);

  constructor(
    private readonly resolves: HostResolveService,
    private readonly reporter: ResultReporter,
  ) {}

  /** `lock`: the job's BullMQ lock as the processor holds it (none: a job no Worker fetched, with no lock to lose). */
  async process(job: Job<ResolveHostJobData>, lock?: HeldJobLock): Promise<ResolveOutcomeSummary> {
    const attempt = job.attemptsMade + 1;
    const log = new RunPhaseLogger(this.logger, { jobId: job.id ?? '', hostId: job.data.hostId, runId: job.data.requestId, attempt });
    const report = async (outcome: ResolveOutcomeSummary): Promise<void> => {
      if (await reportWhileHeld(job, lock, () => this.reporter.reportResolve(job.id ?? '', job.data, outcome, attempt))) return;
      this.logger.warn(`not reporting resolve ${outcome.status} of jobId=${job.id ?? ''} runId=${job.data.requestId}: the job stalled and another worker holds it now, which reports the run`);
    };
    log.started('resolve');
    try {
      const outcome = await this.resolves.resolve(job.data);
      this.logger[outcome.status === 'failed' ? 'warn' : 'log'](
        `phase=resolve jobId=${job.id} hostId=${job.data.hostId} status=${outcome.status} hostRunId=${outcome.runId ?? '-'}`,
      );
      await report(outcome);
      return outcome;
    } catch (error) {
      return settleJobFailure(job, error, log, (reason) => report({ status: 'failed', detail: reason }));
    }
  }
}
