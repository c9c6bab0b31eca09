import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { QueueName } from '@hostnet/contracts';

/** One host run's result: when the worker reported it and when api had handled it (ms since the epoch). */
export interface ResultTimes {
  hostId: string;
  reportedAt: number;
  /** When api took the result job off the queue. */
  pickedUpAt?: number;
  handledAt?: number;
}

/**
 * Reads the queues' counters, and the times of result jobs (never what the payloads say beyond the
 * host id): how many host runs the worker has reported so far and whether any host job is still
 * waiting or running. Lets the bench tell "the worker is done" apart from "api has enabled every host".
 */
export class QueueProbe {
  private constructor(
    private readonly redis: Redis,
    private readonly hostNetwork: Queue,
    private readonly hostResults: Queue,
  ) {}

  static create(redisUrl: string, prefix: string): QueueProbe {
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
    const opts = { connection: redis, prefix };
    return new QueueProbe(redis, new Queue(QueueName.HostNetwork, opts), new Queue(QueueName.HostResults, opts));
  }

  /** Results ever enqueued (kept ones: completed results are retained) and host jobs still in flight. */
  async snapshot(): Promise<{ resultsTotal: number; resultsPending: number; hostJobsInFlight: number }> {
    const r = await this.hostResults.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized', 'waiting-children');
    const h = await this.hostNetwork.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
    const sum = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
    return { resultsTotal: sum(r), resultsPending: sum(r) - (r['completed'] ?? 0) - (r['failed'] ?? 0), hostJobsInFlight: sum(h) };
  }

  /**
   * When the worker reported each host's run (its result job was added) and when api was done with it,
   * for the results added since `since`. Only the ids and times of the jobs are used.
   */
  async resultTimes(since: number): Promise<ResultTimes[]> {
    const jobs = await this.hostResults.getJobs(['completed', 'failed', 'active', 'waiting', 'delayed', 'prioritized'], 0, -1);
    return jobs
      .filter((job) => job.timestamp >= since)
      .map((job) => ({
        hostId: String((job.data as { request?: { hostId?: unknown } }).request?.hostId ?? ''),
        reportedAt: job.timestamp,
        ...(job.processedOn !== undefined ? { pickedUpAt: job.processedOn } : {}),
        ...(job.finishedOn !== undefined ? { handledAt: job.finishedOn } : {}),
      }));
  }

  async close(): Promise<void> {
    await this.hostNetwork.close();
    await this.hostResults.close();
    this.redis.disconnect();
  }
}
