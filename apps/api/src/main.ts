import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig, loadEnvFile } from '@hostnet/config';
import { assertRedisReachable, createAppLogger, exitOnSignalWhileStarting, flushLogs, HostnetMetrics, SHUTDOWN_SIGNALS } from '@hostnet/platform';
import { API_CONFIG_KEYS } from './api-config';
import { ApiModule } from './api.module';
import { loadBootProfiles } from './profiles/boot-profiles';
import { setupHttp } from './api-http.setup';

async function bootstrap(): Promise<void> {
  const started = exitOnSignalWhileStarting('api');
  // .env (or HOSTNET_ENV_FILE) first: the real environment wins over it.
  const envFile = loadEnvFile();
  const config = loadConfig(API_CONFIG_KEYS);
  const profiles = await loadBootProfiles(config.HOSTNET_PROFILES);
  await assertRedisReachable(config);
  const secrets = [config.CLOUDSTACK_SECRET_KEY, config.API_TOKEN, config.WEBHOOK_SECRET];
  const app = await NestFactory.create(ApiModule.forRoot(config, profiles), {
    rawBody: true,
    logger: createAppLogger('api', secrets, config),
  });
  // process.exit once the hooks ran, so the 'exit' event writes the last log lines (batched per turn)
  app.enableShutdownHooks(SHUTDOWN_SIGNALS, { useProcessExit: true });
  app.get(HostnetMetrics).collectProcessMetrics();
  setupHttp(app, config.API_TOKEN);
  await app.listen(config.API_PORT, config.API_HOST);
  started();
  // Always printed, whatever LOG_LEVEL says: where the api is, and which env file it read (names only).
  const boot = createAppLogger('api', secrets, { ...config, LOG_LEVEL: 'log' });
  if (envFile.path) boot.log(`read ${envFile.path}: ${envFile.applied.length} variables (${envFile.overridden.length} set by the environment instead)`, 'Bootstrap');
  boot.log(`api listening on ${await app.getUrl()}`, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  const message = error instanceof ConfigError ? error.message : `api failed to start: ${(error as Error).message}`;
  flushLogs();
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
