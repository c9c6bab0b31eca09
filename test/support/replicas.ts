import type { INestApplication, INestApplicationContext, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@hostnet/config';
import { API_CONFIG_KEYS } from '../../apps/api/src/api-config';
import { setupHttp } from '../../apps/api/src/api-http.setup';
import { ApiModule } from '../../apps/api/src/api.module';
import { WORKER_CONFIG_KEYS } from '../../apps/worker/src/worker-config';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { workerEnvOf } from './pipeline-harness';

/**
 * One more api in this process, on the harness's Redis, QUEUE_PREFIX and CloudStack (its own poller,
 * result consumer and enable), as a second replica of a deployment would be; the caller closes it.
 */
export async function startApiReplica(env: Record<string, string>, logger: LoggerService | 'error'[] = ['error']): Promise<{ app: INestApplication; url: string }> {
  const app = await NestFactory.create(ApiModule.forRoot(loadConfig(API_CONFIG_KEYS, env)), { rawBody: true, logger });
  setupHttp(app, env['API_TOKEN'] ?? '');
  await app.listen(0, '127.0.0.1');
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}

/** One more worker in this process on the same queues (the env a deployment gives a worker: no CloudStack keys); the caller closes it. */
export function startWorkerReplica(env: Record<string, string>, logger: LoggerService | 'error'[] = ['error']): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(WorkerModule.forRoot(loadConfig(WORKER_CONFIG_KEYS, workerEnvOf(env))), { logger });
}
