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
  type JobTrigger,
} from '@hostnet/contracts';

export interface EnqueueHostRequest {
  zoneId: string;
  hostId: string;
  hostName: string;
  specHash: string;
  mode: 'apply' | 'dry-run';
  force: boolean;
  trigger: JobTrigger;
}

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
    const job = await this.queue.add(JobName.ConfigureHost, data, { ...JobPresets.configureHost, jobId });
    const enqueued = job.data.requestId === data.requestId;
    this.logger.log(
      `${enqueued ? 'enqueued' : 'joined existing'} ${request.mode} job jobId=${jobId} hostId=${request.hostId} trigger=${request.trigger.kind}`,
    );
    return { jobId, enqueued };
  }
}
