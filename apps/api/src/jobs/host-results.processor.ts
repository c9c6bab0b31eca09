import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import { HOSTNET_CONFIG, withLogContext } from '@hostnet/platform';
import type { ApiConfig } from '../api-config';
import type { Job } from 'bullmq';
import { QueueName, type ReportResultJobData } from '@hostnet/contracts';
import { HostResultsService, type ResultHandling } from './host-results.service';

/** Thin: hands each durable result to HostResultsService; BullMQ retries what it rethrows. */
@Processor(QueueName.HostResults, { autorun: false })
export class HostResultsProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly results: HostResultsService,
    @Inject(HOSTNET_CONFIG) private readonly config: ApiConfig,
  ) {
    super();
  }

  async process(job: Job<ReportResultJobData>): Promise<ResultHandling> {
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    // The host's ids on every line about this result (enable, CloudStack calls) in JSON logs.
    const ids = { hostId: job.data.request?.hostId, runId: job.data.request?.requestId, jobId: job.data.configureJobId };
    return withLogContext(ids, () => this.results.handle(job.data, job.id ?? '', finalAttempt));
  }

  /** Start taking results only once the whole app is up (novu's cold-start pattern). */
  onApplicationBootstrap(): void {
    // Several at once: enabling a host in Alert waits on CloudStack's reconnect job.
    this.worker.concurrency = this.config.RESULTS_CONCURRENCY;
    void this.worker.run();
  }
}
