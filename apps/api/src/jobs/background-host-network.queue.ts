import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { QueueName, type ConfigureHostJobData } from '@hostnet/contracts';
import { logRedisErrors } from '@hostnet/platform';
import { BACKGROUND_REDIS, STATUS_PREFIX } from '../hosts/host-status.repository';

/**
 * host-network's producer for background work (a result's re-run, the poller's and drift checks' triggers): on the
 * waiting client, so a Redis blip delays its add() instead of losing it. HTTP requests keep the fail-fast producer.
 */
@Injectable()
export class BackgroundHostNetworkQueue implements OnApplicationShutdown {
  readonly queue: Queue<ConfigureHostJobData>;

  constructor(@Inject(BACKGROUND_REDIS) connection: Redis, @Inject(STATUS_PREFIX) prefix: string) {
    this.queue = new Queue<ConfigureHostJobData>(QueueName.HostNetwork, { connection, prefix });
    logRedisErrors(this.queue, 'api background queue host-network');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }
}
