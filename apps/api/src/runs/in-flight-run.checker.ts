import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Optional } from '@nestjs/common';
import { routedByWork } from '@hostnet/platform';
import { BackgroundHostNetworkQueue } from '../jobs/background-host-network.queue';
import type { Queue } from 'bullmq';
import { QueueName, type ConfigureHostJobData, type ReportResultJobData } from '@hostnet/contracts';
import type { InFlightRun } from './host-run.registry';

/** A run just claimed may not have its job in the queue yet: the claimer adds it right after. */
export const ENQUEUE_GRACE_MS = 15_000;

/**
 * Whether a recorded run can still end in a result. The worker adds its result before its job
 * completes (and the job is removed on completion), so a live run always has its configure job or
 * a pending result; a run with neither was lost (job failed without a report, Redis flushed).
 */
@Injectable()
export class InFlightRunChecker {
  private readonly hostJobs: Queue<ConfigureHostJobData>;

  constructor(
    @InjectQueue(QueueName.HostNetwork) requestJobs: Queue<ConfigureHostJobData>,
    @InjectQueue(QueueName.HostResults) private readonly results: Queue<ReportResultJobData>,
    @Optional() background?: BackgroundHostNetworkQueue,
  ) {
    this.hostJobs = background ? routedByWork(requestJobs, background.queue) : requestJobs;
  }

  async stillInFlight(run: InFlightRun): Promise<boolean> {
    return (await this.stillInFlightMany([run]))[0]!;
  }

  /** The same for many runs (a poller pass), reading the pending results once; in the order asked. */
  async stillInFlightMany(runs: readonly InFlightRun[]): Promise<boolean[]> {
    const answers = await Promise.all(runs.map(async (run) => {
      if (Date.now() - Date.parse(run.at) < ENQUEUE_GRACE_MS) return true;
      const job = await this.hostJobs.getJob(run.jobId);
      return job?.data.requestId === run.runId ? true : undefined;
    }));
    if (answers.every((a) => a === true)) return answers as boolean[];
    const pending = await this.results.getJobs(['waiting', 'active', 'delayed', 'prioritized', 'paused']);
    const withResult = new Set(pending.map((j) => j?.data.request?.requestId));
    return answers.map((a, i) => a === true || withResult.has(runs[i]!.runId));
  }
}
