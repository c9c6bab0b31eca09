import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { QueueEvents } from 'bullmq';
import { Observable, Subject } from 'rxjs';
import { QueueName } from '@hostnet/contracts';
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
    const events = new QueueEvents(QueueName.HostResults, {
      connection: { url: this.connection.url, maxRetriesPerRequest: null },
      prefix: this.connection.prefix,
    });
    this.queueEvents = events;
    events.on('error', (error) => this.logger.warn(`QueueEvents: ${error.message}`));
    events.on('completed', () => this.subject.next());
    events.on('failed', () => this.subject.next());
    await events.waitUntilReady();
  }

  async onModuleDestroy(): Promise<void> {
    this.subject.complete();
    await this.queueEvents?.close();
  }
}
