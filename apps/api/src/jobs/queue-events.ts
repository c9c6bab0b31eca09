import type { Logger } from '@nestjs/common';
import { QueueEvents } from 'bullmq';
import { logRedisErrors } from '@hostnet/platform';
import type { QueueName } from '@hostnet/contracts';
import type { BullMqConnection } from '../dashboard/dashboard.tokens';

/** A QueueEvents of `queue` on its own connection, its errors logged as rate-limited warnings; the caller closes it. */
export function queueEvents(queue: QueueName, connection: BullMqConnection, logger: Logger): QueueEvents {
  const events = new QueueEvents(queue, { connection: connection.connection, prefix: connection.prefix });
  logRedisErrors(events, `QueueEvents of ${queue}`, logger);
  return events;
}
