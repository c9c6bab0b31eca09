import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig, loadEnvFile } from '@hostnet/config';
import { assertRedisReachable, createAppLogger, exitOnSignalWhileStarting, flushLogs, HostnetMetrics, SHUTDOWN_SIGNALS } from '@hostnet/platform';
import { assertSshFiles } from './ssh-files.check';
import { isCloudStackVariable, unusedCloudStackVariables, WORKER_CONFIG_KEYS } from './worker-config';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  const started = exitOnSignalWhileStarting('worker');
  // .env (or HOSTNET_ENV_FILE) first: the real environment wins over it.
  // A .env shared with api holds its CloudStack keys: never read into the worker's environment.
  const envFile = loadEnvFile(process.env, process.cwd(), isCloudStackVariable);
  const config = loadConfig(WORKER_CONFIG_KEYS);
  assertSshFiles(config);
  await assertRedisReachable(config);
  const unused = unusedCloudStackVariables(process.env);
  for (const name of unused) delete process.env[name];
  // No secret of its own to mask: the SSH key is a path, read at connect and never logged.
  const logger = createAppLogger('worker', [], config);
  if (unused.length > 0) {
    logger.warn(`ignored ${unused.join(', ')}: the worker reads no CloudStack (api stores each host's spec for it); remove them from its environment`, 'Bootstrap');
  }
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger });
  // process.exit once the hooks ran, so the 'exit' event writes the last log lines (batched per turn)
  app.enableShutdownHooks(SHUTDOWN_SIGNALS, { useProcessExit: true });
  started();
  app.get(HostnetMetrics).collectProcessMetrics();
  if (envFile.path) {
    const leftToApi = envFile.leftToOthers.length > 0 ? `; ${envFile.leftToOthers.join(', ')} left to api` : '';
    logger.log(`read ${envFile.path}: ${envFile.applied.length} variables (${envFile.overridden.length} set by the environment instead${leftToApi})`, 'Bootstrap');
  }
}

bootstrap().catch((error: unknown) => {
  // Config errors name variables, never values; anything else is reduced to its message.
  const message = error instanceof ConfigError ? error.message : `worker failed to start: ${(error as Error).message}`;
  flushLogs();
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
