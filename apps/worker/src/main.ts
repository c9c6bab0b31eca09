import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig, loadEnvFile } from '@hostnet/config';
import { HostnetMetrics, MaskingLogger, SecretMasker } from '@hostnet/platform';
import { WORKER_CONFIG_KEYS } from './worker-config';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  // .env (or HOSTNET_ENV_FILE) first: the real environment wins over it.
  loadEnvFile();
  const config = loadConfig(WORKER_CONFIG_KEYS);
  const logger = new MaskingLogger(new SecretMasker([config.CLOUDSTACK_SECRET_KEY]), config.LOG_LEVEL);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger });
  app.enableShutdownHooks();
  app.get(HostnetMetrics).collectProcessMetrics();
}

bootstrap().catch((error: unknown) => {
  // Config errors name variables, never values; anything else is reduced to its message.
  const message = error instanceof ConfigError ? error.message : `worker failed to start: ${(error as Error).message}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
