import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { Global, Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { connectRedis, type RedisConnectionConfig } from './redis-connection';
import { logRedisErrors } from './redis-error-log';

/** Provider token of the app's shared Redis client (BullMQ's queues and workers use it). */
export const REDIS_CONNECTION = Symbol('REDIS_CONNECTION');

@Injectable()
class RedisConnectionCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CONNECTION) private readonly client: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}

/**
 * Holds REDIS_CONNECTION and quits it when the app shuts down. Global, and scanned before BullMQ's
 * own global modules (it is imported by BullModule's root, below), so Nest closes it after them:
 * BullMQ never quits a client it was handed, and its workers need it until they have drained.
 */
@Global()
@Module({})
export class RedisModule {
  static forRoot(config: RedisConnectionConfig, app: 'api' | 'worker'): DynamicModule {
    return {
      module: RedisModule,
      providers: [{ provide: REDIS_CONNECTION, useFactory: () => connectRedis(config, {}, `${app} BullMQ connection`) }, RedisConnectionCloser],
      exports: [REDIS_CONNECTION],
    };
  }
}

/**
 * BullMQ's root for an app: every queue, worker and QueueEvents on REDIS_CONNECTION, keys under `prefix`; a queue
 * registered with its own connection (api's fail-fast host-network producer) keeps that one.
 */
export function bullRootModule(config: RedisConnectionConfig & { QUEUE_PREFIX: string }, app: 'api' | 'worker'): DynamicModule {
  return BullModule.forRootAsync({
    imports: [RedisModule.forRoot(config, app)],
    inject: [REDIS_CONNECTION],
    useFactory: (connection: Redis) => ({ connection, prefix: config.QUEUE_PREFIX }),
  });
}

/** Logs the Redis errors of the app's queues through its logger, rate-limited (BullMQ prints an unheard one to the console). */
export function queueErrorLogging(app: string, queues: string[]): Provider {
  return {
    provide: Symbol(`${app} queue error logging`),
    inject: queues.map((name) => getQueueToken(name)),
    useFactory: (...registered: Queue[]) => registered.forEach((queue) => logRedisErrors(queue, `${app} queue ${queue.name}`)),
  };
}
