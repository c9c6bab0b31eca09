import type { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { ProfileReloader } from './profile-reloader';

/**
 * `kill -HUP <pid>` reloads api's profiles (api alone derives specs). The outcome is logged by
 * ProfileReloader; a bad file never stops the process.
 * Listening for SIGHUP also replaces Node's default for it (exit), which is what an operator
 * sending HUP to a daemon expects.
 */
export class SighupProfileReload implements OnModuleInit, OnModuleDestroy {
  private readonly onSignal = (): void => {
    this.reloader.reload('SIGHUP').catch(() => undefined);
  };

  constructor(private readonly reloader: ProfileReloader) {}

  onModuleInit(): void {
    process.on('SIGHUP', this.onSignal);
  }

  onModuleDestroy(): void {
    process.off('SIGHUP', this.onSignal);
  }
}
