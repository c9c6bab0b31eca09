import { asBackgroundWork } from '@hostnet/platform';
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { filter, type Subscription } from 'rxjs';
import { HostStatusRepository } from '../hosts/host-status.repository';
import { HostJobEventsSource } from '../jobs/host-job-events.source';
import { HostLock } from './host-lock';
import { HostRunRegistry } from './host-run.registry';

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
    private readonly runs: HostRunRegistry,
    private readonly statuses: HostStatusRepository,
    private readonly lock: HostLock,
  ) {}

  onModuleInit(): void {
    this.subscription = this.jobEvents.events
      .pipe(filter((event) => event.state === 'active'))
      .subscribe(({ jobId, hostId }) => void asBackgroundWork(() => this.started(jobId, hostId)).catch((e: Error) => this.logger.warn(`applying not recorded for ${jobId}: ${e.message}`)));
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  /**
   * The run comes from the host's in-flight record (the job id names the host), not from the job: one
   * small read instead of the whole job and its payload, for every job a worker takes. Every configure job
   * of a host has the same id, so a start event is tied to the run in flight, as reading the job was;
   * only a `queued` record of that run becomes `applying`.
   */
  private async started(jobId: string, hostId: string | undefined): Promise<void> {
    if (hostId === undefined) return;
    const run = await this.runs.current(hostId);
    if (!run || run.jobId !== jobId || run.mode !== 'apply') return;
    await this.lock.withLock(hostId, async () => {
      const latest = await this.statuses.latest(hostId);
      if (latest?.phase !== 'queued' || latest.runId !== run.runId) return;
      await this.statuses.record({ ...latest, phase: 'applying', at: new Date().toISOString() });
    });
  }
}
