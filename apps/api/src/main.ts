import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig, loadEnvFile } from '@hostnet/config';
import { HostnetMetrics, MaskingLogger, SecretMasker } from '@hostnet/platform';
import { API_CONFIG_KEYS } from './api-config';
import { ApiModule } from './api.module';
import { setupHttp } from './api-http.setup';

async function bootstrap(): Promise<void> {
  // .env (or HOSTNET_ENV_FILE) first: the real environment wins over it.
  loadEnvFile();
  const config = loadConfig(API_CONFIG_KEYS);
  const masker = new SecretMasker([config.CLOUDSTACK_SECRET_KEY, config.API_TOKEN, config.WEBHOOK_SECRET]);
  const app = await NestFactory.create(ApiModule.forRoot(config), {
    rawBody: true,
    logger: new MaskingLogger(masker, config.LOG_LEVEL),
  });
  app.enableShutdownHooks();
  app.get(HostnetMetrics).collectProcessMetrics();
  setupHttp(app, config.API_TOKEN);
  await app.listen(config.API_PORT, config.API_HOST);
  new MaskingLogger(masker).log(`api listening on ${await app.getUrl()}`, 'Bootstrap');
}

bootstrap().catch((error: unknown) => {
  const message = error instanceof ConfigError ? error.message : `api failed to start: ${(error as Error).message}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
