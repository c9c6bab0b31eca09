import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Optional } from '@nestjs/common';
import { routedByWork } from '@hostnet/platform';
import { BackgroundHostNetworkQueue } from '../jobs/background-host-network.queue';
import type { Queue } from 'bullmq';
import type Redis from 'ioredis';
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
    // only a run provably inside its enqueue grace is taken as in flight unread (an unreadable time is looked up)
    const old = runs.flatMap((run, i) => (Date.now() - Date.parse(run.at) < ENQUEUE_GRACE_MS ? [] : [i]));
    const requestIds = await this.configureRequestIds(old.map((i) => runs[i]!.jobId));
    const answers: (true | undefined)[] = runs.map(() => true);
    old.forEach((i, n) => (answers[i] = requestIds[n] === runs[i]!.runId ? true : undefined));
    if (answers.every((a) => a === true)) return answers as boolean[];
    const pending = await this.results.getJobs(['waiting', 'active', 'delayed', 'prioritized', 'paused']);
    const withResult = new Set(pending.map((j) => j?.data.request?.requestId));
    return answers.map((a, i) => a === true || withResult.has(runs[i]!.runId));
  }

  /**
   * The requestId of each configure job, in one round trip reading only its data: a poller pass of a long
   * rollout asks for every queued host, and reading each whole job (one HGETALL and a parse of every field
   * each) was among api's largest costs per host. Undefined where the job is gone.
   */
  private async configureRequestIds(jobIds: readonly string[]): Promise<(string | undefined)[]> {
    if (jobIds.length === 0) return [];
    // BullMQ types its client by the few commands it uses itself; it is an ioredis client
    const batch = ((await this.hostJobs.client) as unknown as Redis).pipeline();
    for (const jobId of jobIds) batch.hget(this.hostJobs.toKey(jobId), 'data');
    const replies = (await batch.exec()) ?? [];
    return jobIds.map((_, i) => {
      const [error, data] = replies[i] ?? [new Error('no reply')];
      if (error) throw error;
      return typeof data === 'string' ? (JSON.parse(data) as Partial<ConfigureHostJobData>).requestId : undefined;
    });
  }
}
