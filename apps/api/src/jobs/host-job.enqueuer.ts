import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import {
  configureHostJobId,
  JobName,
  JobPresets,
  QueueName,
  type ConfigureHostJobData,
} from '@hostnet/contracts';

/** A job's payload minus what the enqueuer itself stamps on it. */
export type EnqueueHostRequest = Omit<ConfigureHostJobData, 'requestId' | 'requestedAt'>;

export interface EnqueueResult {
  jobId: string;
  /** False when a job for this host was already waiting or running: the trigger joined it. */
  enqueued: boolean;
}

/** The one way to enqueue host work: it alone decides queue, job id and option preset. */
@Injectable()
export class HostJobEnqueuer {
  private readonly logger = new Logger(HostJobEnqueuer.name);

  constructor(@InjectQueue(QueueName.HostNetwork) private readonly queue: Queue<ConfigureHostJobData>) {}

  async enqueue(request: EnqueueHostRequest): Promise<EnqueueResult> {
    const data: ConfigureHostJobData = {
      ...request,
      requestId: randomUUID(),
      requestedAt: new Date().toISOString(),
    };
    const jobId = configureHostJobId(request.hostId);
    await this.queue.add(JobName.ConfigureHost, data, { ...JobPresets.configureHost, jobId });
    // BullMQ's add() answers with a Job built from *our* data even when the id was taken, so only the
    // stored job tells whether this request became the job or joined one. Already gone means a job finished
    // within that one Redis round trip; it is counted as this request's.
    const stored = await this.queue.getJob(jobId);
    const enqueued = stored === undefined || stored.data.requestId === data.requestId;
    this.logger.log(
      `${enqueued ? 'enqueued' : 'joined existing'} ${request.mode} job jobId=${jobId} hostId=${request.hostId} trigger=${request.trigger.kind}`,
    );
    return { jobId, enqueued };
  }
}
