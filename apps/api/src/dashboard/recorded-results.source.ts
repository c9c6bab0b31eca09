import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { QueueEvents } from 'bullmq';
import { Observable, share } from 'rxjs';
import { QueueName } from '@hostnet/contracts';
import { queueEvents } from '../jobs/queue-events';
import { BULLMQ_CONNECTION, type BullMqConnection } from './dashboard.tokens';

/**
 * Fires when any api replica finished handling a worker's result: by then the host's new status is
 * in Redis, so open dashboards re-read at once instead of at their next tick. The results queue's
 * events are read only while someone subscribes (an open dashboard): with none open, api runs no
 * XREAD loop that parses every result's events for nobody.
 */
@Injectable()
export class RecordedResultsSource implements OnModuleDestroy {
  private readonly logger = new Logger(RecordedResultsSource.name);
  private readonly open = new Set<QueueEvents>();

  constructor(@Inject(BULLMQ_CONNECTION) private readonly connection: BullMqConnection) {}

  readonly recorded: Observable<void> = new Observable<void>((subscriber) => {
    const events = queueEvents(QueueName.HostResults, this.connection, this.logger);
    this.open.add(events);
    events.on('completed', () => subscriber.next());
    events.on('failed', () => subscriber.next());
    return () => void this.close(events);
  }).pipe(share());

  /** Shutdown closes a reader still open, so no Redis connection outlives the app. */
  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.open].map((events) => this.close(events)));
  }

  private async close(events: QueueEvents): Promise<void> {
    if (!this.open.delete(events)) return;
    await events.close().catch((error: Error) => this.logger.warn(`QueueEvents of ${QueueName.HostResults} did not close: ${error.message}`));
  }
}
