import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import { asBackgroundWork, HOSTNET_CONFIG, logRedisErrors, withLogContext } from '@hostnet/platform';
import type { ApiConfig } from '../api-config';
import type { Job } from 'bullmq';
import { JobName, QueueName, type ReportResolveJobData, type ReportResultJobData } from '@hostnet/contracts';
import { ResolveResultsService } from '../resolve/resolve-results.service';
import { HostResultsService, type ResultHandling } from './host-results.service';

/**
 * Thin: hands each durable result to HostResultsService, or an operator's resolve to
 * ResolveResultsService (which cannot enable); BullMQ retries what they rethrow.
 */
@Processor(QueueName.HostResults, { autorun: false })
export class HostResultsProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly results: HostResultsService,
    private readonly resolves: ResolveResultsService,
    @Inject(HOSTNET_CONFIG) private readonly config: ApiConfig,
  ) {
    super();
  }

  async process(job: Job<ReportResultJobData | ReportResolveJobData>): Promise<ResultHandling> {
    return asBackgroundWork(() => this.handle(job));
  }

  private handle(job: Job<ReportResultJobData | ReportResolveJobData>): Promise<ResultHandling> {
    if (job.name === JobName.ReportResolve) return this.resolves.handle(job.data as ReportResolveJobData, job.id ?? '');
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    // The host's ids on every line about this result (enable, CloudStack calls) in JSON logs.
    const data = job.data as ReportResultJobData;
    const ids = { hostId: data.request?.hostId, runId: data.request?.requestId, jobId: data.configureJobId };
    return withLogContext(ids, () => this.results.handle(data, job.id ?? '', finalAttempt));
  }

  /** Start taking results only once the whole app is up (novu's cold-start pattern). */
  onApplicationBootstrap(): void {
    // Several at once: enabling a host in Alert waits on CloudStack's reconnect job.
    this.worker.concurrency = this.config.RESULTS_CONCURRENCY;
    logRedisErrors(this.worker, 'api results worker');
    void this.worker.run();
  }
}
