import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import { QueueName, type ApplyOutcomeSummary, type ConfigureHostJobData } from '@hostnet/contracts';
import { withLogContext } from '@hostnet/platform';
import { failureReason, isPermanentFailure } from './host-run/error-classification';
import { HostRunService } from './host-run/host-run.service';
import { runIdOf } from './host-run/run-id';
import { RunPhaseLogger } from './host-run/run-phase.logger';
import { ResultReporter } from './reporting/result-reporter.service';

/**
 * Thin: runs the host workflow, logs each phase, and reports every final outcome. Transient failures
 * are rethrown for BullMQ's backoff; permanent ones (and the last attempt) are reported, then end the job.
 */
@Processor(QueueName.HostNetwork, { autorun: false })
export class HostNetworkProcessor extends WorkerHost {
  private readonly logger = new Logger(HostNetworkProcessor.name);

  constructor(
    private readonly runs: HostRunService,
    private readonly reporter: ResultReporter,
  ) {
    super();
  }

  process(job: Job<ConfigureHostJobData>): Promise<ApplyOutcomeSummary> {
    // Every line logged while this job runs (SSH, apply, CloudStack) carries its ids in JSON logs;
    // runId as api records it, so one run has one id across both apps.
    return withLogContext({ jobId: job.id, hostId: job.data.hostId, runId: job.data.requestId }, () => this.run(job));
  }

  private async run(job: Job<ConfigureHostJobData>): Promise<ApplyOutcomeSummary> {
    const attempt = job.attemptsMade + 1;
    const log = new RunPhaseLogger(this.logger, { jobId: job.id ?? '', hostId: job.data.hostId, runId: runIdOf(job.data), attempt });
    try {
      const outcome = await this.runs.run(job.data, (stage) => {
        log.started(stage);
        void job.updateProgress(stage);
      });
      log.finished(outcome);
      await this.reporter.report(job.id ?? '', job.data, outcome, attempt);
      return outcome;
    } catch (error) {
      const permanent = isPermanentFailure(error);
      const lastAttempt = attempt >= (job.opts.attempts ?? 1);
      const reason = failureReason(error);
      log.threw(reason, { permanent, retry: !permanent && !lastAttempt });
      if (permanent || lastAttempt) {
        await this.reporter.report(job.id ?? '', job.data, { status: 'failed', reason, permanent }, attempt);
        throw permanent ? new UnrecoverableError(reason) : error;
      }
      throw error;
    }
  }
}
