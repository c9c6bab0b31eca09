import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplication } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { QueueName } from '@hostnet/contracts';
import { mountBullBoard } from './bull-board/mount-bull-board';
import { setupOpenApi } from './openapi/setup-openapi';
import { installHttpSecurity } from './security/http-security';

/** Express-level routes that live outside Nest's router; must run before listen()/init(). */
export function setupHttp(app: INestApplication, apiToken: string): void {
  installHttpSecurity(app);
  setupOpenApi(app, apiToken);
  const queues = [QueueName.HostNetwork, QueueName.HostResults].map((name) => app.get<Queue>(getQueueToken(name), { strict: false }));
  mountBullBoard(app, queues, apiToken);
}
