import { Module, type DynamicModule } from '@nestjs/common';
import type Redis from 'ioredis';
import { STATUS_PREFIX, STATUS_REDIS } from '../hosts/host-status.repository';
import { RelabelHostDiffService } from './relabel-host-diff.service';
import { RelabelHostStepsService } from './relabel-host-steps.service';
import { DEFAULT_RUNNER_OPTIONS, type RelabelRunnerOptions } from './relabel-ports';
import { RELABEL_RUNNER_OPTIONS, RELABEL_ZONE_LOCK, RelabelRunnerService } from './relabel-runner.service';
import { RelabelZoneLock } from './relabel-zone-lock';
import { RelabelsController } from './relabels.controller';
import { relabelStoreProvider } from './relabel-store.provider';
import { RelabelsService } from './relabels.service';

/** Bulk re-labelling: the API, the rollouts' store and their runners (shared services come from ApiCoreModule). */
@Module({})
export class RelabelsModule {
  static register(options: Partial<RelabelRunnerOptions> = {}): DynamicModule {
    return {
      module: RelabelsModule,
      controllers: [RelabelsController],
      providers: [
        { provide: RELABEL_RUNNER_OPTIONS, useValue: { ...DEFAULT_RUNNER_OPTIONS, ...options } },
        relabelStoreProvider,
        { provide: RELABEL_ZONE_LOCK, inject: [STATUS_REDIS, STATUS_PREFIX], useFactory: (redis: Redis, prefix: string) => new RelabelZoneLock(redis, prefix) },
        RelabelHostDiffService,
        RelabelHostStepsService,
        RelabelRunnerService,
        RelabelsService,
      ],
    };
  }
}
