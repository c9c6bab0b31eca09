import type { Provider } from '@nestjs/common';
import type Redis from 'ioredis';
import { STATUS_PREFIX, STATUS_REDIS } from '../hosts/host-status.repository';
import { RelabelRolloutStore } from './relabel-rollout.store';
import { RELABEL_STORE } from './relabel-runner.service';

/** The rollouts' store on the status Redis and prefix (the relabels API and the dashboard each hold one). */
export const relabelStoreProvider: Provider = {
  provide: RELABEL_STORE,
  inject: [STATUS_REDIS, STATUS_PREFIX],
  useFactory: (redis: Redis, prefix: string) => new RelabelRolloutStore(redis, prefix),
};
