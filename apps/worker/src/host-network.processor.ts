import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import { QueueName, type ApplyOutcomeSummary, type ConfigureHostJobData } from '@hostnet/contracts';
import { failureReason, isPermanentFailure } from './host-run/error-classification';
import { HostRunService } from './host-run/host-run.service';
import { ResultReporter } from './reporting/result-reporter.service';

/**
 * Thin: runs the host workflow and reports every final outcome. Transient failures are rethrown
 * for BullMQ's backoff; permanent ones (and the last attempt) are reported, then end the job.
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

  async process(job: Job<ConfigureHostJobData>): Promise<ApplyOutcomeSummary> {
    const context = `jobId=${job.id} hostId=${job.data.hostId} attempt=${job.attemptsMade + 1}`;
    try {
      const outcome = await this.runs.run(job.data, (step) => void job.updateProgress(step));
      this.logger.log(`${outcome.status} ${context}${outcome.reason ? ` reason=${outcome.reason}` : ''}`);
      await this.reporter.report(job.id ?? '', job.data, outcome, job.attemptsMade + 1);
      return outcome;
    } catch (error) {
      const permanent = isPermanentFailure(error);
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      const reason = failureReason(error);
      this.logger.warn(`failed ${context} permanent=${permanent} reason=${reason}`);
      if (permanent || lastAttempt) {
        await this.reporter.report(job.id ?? '', job.data, { status: 'failed', reason, permanent }, job.attemptsMade + 1);
        throw permanent ? new UnrecoverableError(reason) : error;
      }
      throw error;
    }
  }
}
