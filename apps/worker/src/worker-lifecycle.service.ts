import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { HOSTNET_CONFIG } from '@hostnet/platform';
import { HostNetworkProcessor } from './host-network.processor';
import type { WorkerConfig } from './worker-config';

/**
 * Starts taking jobs only once every provider is ready (config valid, SSH endpoints read), with the
 * configured concurrency and stall detection. Shutdown is Nest's: enableShutdownHooks closes the
 * worker, which waits for running jobs before the queues close.
 */
@Injectable()
export class WorkerLifecycle implements OnApplicationBootstrap {
  private readonly logger = new Logger(WorkerLifecycle.name);

  constructor(
    @Inject(HOSTNET_CONFIG) private readonly config: WorkerConfig,
    private readonly processor: HostNetworkProcessor,
  ) {}

  onApplicationBootstrap(): void {
    const worker = this.processor.worker;
    worker.concurrency = this.config.WORKER_CONCURRENCY;
    // Only the check frequency is changed here: the lock duration (30 s) is fixed when BullMQ builds
    // the worker's lock manager, and shortening it afterwards would let a live job look stalled.
    worker.opts.stalledInterval = this.config.WORKER_STALLED_INTERVAL_MS;
    void worker.run();
    this.logger.log(`worker started concurrency=${worker.concurrency}`);
  }
}
