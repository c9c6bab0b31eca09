import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { QueueEvents } from 'bullmq';
import { Observable, Subject } from 'rxjs';
import { QueueName } from '@hostnet/contracts';
import { queueEvents } from '../jobs/queue-events';
import { BULLMQ_CONNECTION, type BullMqConnection } from './dashboard.tokens';

/**
 * Fires when any api replica finished handling a worker's result: by then the host's new status is
 * in Redis, so open dashboards re-read at once instead of at their next tick.
 */
@Injectable()
export class RecordedResultsSource implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RecordedResultsSource.name);
  private readonly subject = new Subject<void>();
  private queueEvents: QueueEvents | undefined;

  constructor(@Inject(BULLMQ_CONNECTION) private readonly connection: BullMqConnection) {}

  get recorded(): Observable<void> {
    return this.subject.asObservable();
  }

  async onModuleInit(): Promise<void> {
    const events = queueEvents(QueueName.HostResults, this.connection, this.logger);
    this.queueEvents = events;
    events.on('completed', () => this.subject.next());
    events.on('failed', () => this.subject.next());
    await events.waitUntilReady();
  }

  async onModuleDestroy(): Promise<void> {
    this.subject.complete();
    await this.queueEvents?.close();
  }
}
