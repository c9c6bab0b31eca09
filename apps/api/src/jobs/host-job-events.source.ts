import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { QueueEvents } from 'bullmq';
import { Observable, Subject } from 'rxjs';
import { QueueName } from '@hostnet/contracts';
import { BULLMQ_CONNECTION, type BullMqConnection } from '../dashboard/dashboard.tokens';
import { queueEvents } from './queue-events';

/** One live job event as the dashboard shows it; small and free of job payloads. */
export interface HostJobLiveEvent {
  state: 'active' | 'progress' | 'completed' | 'failed';
  jobId: string;
  /** Derived from the configure-host job id (`host-<hostId>`), when it has that shape. */
  hostId?: string;
  progress?: unknown;
  /** The run status from the worker's return value, when it carries one. */
  status?: string;
  reason?: string;
  at: string;
}

const MAX_PROGRESS_JSON = 2_000;
const MAX_REASON = 500;

/**
 * api's one reader of the host-network queue's BullMQ events, as an Observable shared by every dashboard
 * connection and the run-start recorder: each reader is an XREAD loop that parses every event of the queue.
 * Live only: durable results travel through the results queue, not through this.
 */
@Injectable()
export class HostJobEventsSource implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(HostJobEventsSource.name);
  private readonly subject = new Subject<HostJobLiveEvent>();
  private queueEvents: QueueEvents | undefined;

  constructor(@Inject(BULLMQ_CONNECTION) private readonly connection: BullMqConnection) {}

  get events(): Observable<HostJobLiveEvent> {
    return this.subject.asObservable();
  }

  async onModuleInit(): Promise<void> {
    const events = queueEvents(QueueName.HostNetwork, this.connection, this.logger);
    this.queueEvents = events;
    events.on('active', ({ jobId }) => this.emit({ state: 'active', jobId }));
    events.on('progress', ({ jobId, data }) => this.emit({ state: 'progress', jobId, progress: boundedProgress(data) }));
    events.on('completed', ({ jobId, returnvalue }) => this.emit({ state: 'completed', jobId, status: statusOf(returnvalue) }));
    events.on('failed', ({ jobId, failedReason }) =>
      this.emit({ state: 'failed', jobId, reason: String(failedReason ?? '').slice(0, MAX_REASON) }),
    );
    await events.waitUntilReady();
  }

  async onModuleDestroy(): Promise<void> {
    this.subject.complete();
    await this.queueEvents?.close();
  }

  private emit(event: Omit<HostJobLiveEvent, 'at' | 'hostId'>): void {
    const hostId = /^host-([A-Za-z0-9._-]+)$/.exec(event.jobId)?.[1];
    this.subject.next({ ...event, ...(hostId ? { hostId } : {}), at: new Date().toISOString() });
  }
}

function boundedProgress(data: unknown): unknown {
  const json = JSON.stringify(data);
  return json !== undefined && json.length <= MAX_PROGRESS_JSON ? data : undefined;
}

/** QueueEvents hands the return value over as JSON text (or already parsed, depending on version). */
function statusOf(returnvalue: unknown): string | undefined {
  let value = returnvalue;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  const status = value && typeof value === 'object' ? (value as { status?: unknown }).status : undefined;
  return typeof status === 'string' ? status.slice(0, 64) : undefined;
}
