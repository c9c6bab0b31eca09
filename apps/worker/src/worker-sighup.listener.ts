import { Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';

/**
 * SIGHUP reloads api's profiles; operators used to signal the worker too, which read them as well. The
 * worker holds none now (api stores each run's spec), so it only says so: without a listener Node's
 * default would end the worker and its runs.
 */
export class WorkerSighupListener implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Profiles');
  private readonly onSignal = (): void => {
    this.logger.log('SIGHUP ignored: the worker holds no profiles (api derives every spec); reload api instead');
  };

  onModuleInit(): void {
    process.on('SIGHUP', this.onSignal);
  }

  onModuleDestroy(): void {
    process.off('SIGHUP', this.onSignal);
  }
}
