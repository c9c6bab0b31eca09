import type { Logger } from '@nestjs/common';
import { QueueEvents } from 'bullmq';
import { QueueName } from '@hostnet/contracts';
import type { BullMqConnection } from '../dashboard/dashboard.tokens';

/** A QueueEvents of the host-network queue on its own connection; the caller closes it. */
export function hostNetworkEvents(connection: BullMqConnection, logger: Logger): QueueEvents {
  const events = new QueueEvents(QueueName.HostNetwork, {
    connection: { url: connection.url, maxRetriesPerRequest: null },
    prefix: connection.prefix,
  });
  events.on('error', (error) => logger.warn(`QueueEvents: ${error.message}`));
  return events;
}
