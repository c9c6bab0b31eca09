import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { filter, type Subscription } from 'rxjs';
import { QueueName, type ConfigureHostJobData } from '@hostnet/contracts';
import { HostStatusRepository } from '../hosts/host-status.repository';
import { HostJobEventsSource } from '../jobs/host-job-events.source';
import { HostLock } from './host-lock';

/**
 * Records `applying` when a worker takes a queued apply run. Live only (QueueEvents): a start
 * missed while api was down just goes from queued straight to the run's result. Under the host's
 * lock and only over that run's `queued`, so every replica may try and a late event changes nothing.
 */
@Injectable()
export class RunStartRecorder implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RunStartRecorder.name);
  private subscription?: Subscription;

  constructor(
    private readonly jobEvents: HostJobEventsSource,
    @InjectQueue(QueueName.HostNetwork) private readonly hostJobs: Queue<ConfigureHostJobData>,
    private readonly statuses: HostStatusRepository,
    private readonly lock: HostLock,
  ) {}

  onModuleInit(): void {
    this.subscription = this.jobEvents.events
      .pipe(filter((event) => event.state === 'active'))
      .subscribe(({ jobId }) => void this.started(jobId).catch((e: Error) => this.logger.warn(`applying not recorded for ${jobId}: ${e.message}`)));
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  private async started(jobId: string): Promise<void> {
    const job = await this.hostJobs.getJob(jobId);
    if (!job || job.data.mode !== 'apply') return;
    const { hostId, requestId } = job.data;
    await this.lock.withLock(hostId, async () => {
      const latest = await this.statuses.latest(hostId);
      if (latest?.phase !== 'queued' || latest.runId !== requestId) return;
      await this.statuses.record({ ...latest, phase: 'applying', at: new Date().toISOString() });
    });
  }
}
