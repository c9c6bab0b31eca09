import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { HOSTNET_CONFIG, logRedisErrors } from '@hostnet/platform';
import { WarmSessions } from '@hostnet/ssh';
import { HostNetworkProcessor } from './host-network.processor';
import type { WorkerConfig } from './worker-config';

/**
 * Starts taking jobs only once every provider is ready (config valid, SSH endpoints read), with the
 * configured concurrency and stall detection. Shutdown is Nest's: enableShutdownHooks closes the
 * worker, which waits for running jobs before the queues close; SSH connections kept for the next run
 * are closed then (and none is kept after).
 */
@Injectable()
export class WorkerLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkerLifecycle.name);

  constructor(
    @Inject(HOSTNET_CONFIG) private readonly config: WorkerConfig,
    private readonly processor: HostNetworkProcessor,
    private readonly warm: WarmSessions,
  ) {}

  onApplicationBootstrap(): void {
    const worker = this.processor.worker;
    worker.concurrency = this.config.WORKER_CONCURRENCY;
    // Only the check frequency is changed here: the lock duration (30 s) is fixed when BullMQ builds
    // the worker's lock manager, and shortening it afterwards would let a live job look stalled.
    worker.opts.stalledInterval = this.config.WORKER_STALLED_INTERVAL_MS;
    logRedisErrors(worker, 'worker host-network jobs', this.logger);
    void worker.run();
    this.logger.log(`worker started concurrency=${worker.concurrency}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.warm.closeAll();
  }
}
