import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@hostnet/config';
import { SimulatedZone, type SimulatedZoneOptions } from '@hostnet/simulator/environment/simulated-zone';
import { API_CONFIG_KEYS } from '../../apps/api/src/api-config';
import { ApiModule } from '../../apps/api/src/api.module';
import { setupHttp } from '../../apps/api/src/api-http.setup';
import { WORKER_CONFIG_KEYS } from '../../apps/worker/src/worker-config';
import { WorkerModule } from '../../apps/worker/src/worker.module';

export interface PipelineOptions extends SimulatedZoneOptions {
  /** Extra env for both apps (e.g. POLL_INTERVAL_MS=0 to drive triggers by hand). */
  env?: Record<string, string>;
  /** Start a worker in this process (default true). */
  worker?: boolean;
}

/**
 * api + worker running in this process against a SimulatedZone and the test Redis: the same modules
 * the mains build, with config validated by the same schema.
 */
export class PipelineHarness {
  private constructor(
    readonly zone: SimulatedZone,
    readonly env: Record<string, string>,
    readonly api: INestApplication,
    readonly apiUrl: string,
    readonly worker?: INestApplicationContext,
  ) {}

  static async start(options: PipelineOptions = {}): Promise<PipelineHarness> {
    const zone = await SimulatedZone.start({ redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', ...options });
    const env: Record<string, string> = { ...zone.env, LOG_LEVEL: 'warn', ...options.env };
    const logger = process.env.HOSTNET_TEST_LOGS ? undefined : (['error'] as ('error')[]);
    const api = await NestFactory.create(ApiModule.forRoot(loadConfig(API_CONFIG_KEYS, env)), { rawBody: true, ...(logger ? { logger } : {}) });
    api.enableShutdownHooks();
    setupHttp(api, env['API_TOKEN'] ?? '');
    await api.listen(0, '127.0.0.1');
    const apiUrl = await api.getUrl();
    const worker =
      options.worker === false
        ? undefined
        : await NestFactory.createApplicationContext(WorkerModule.forRoot(loadConfig(WORKER_CONFIG_KEYS, env)), logger ? { logger } : {});
    return new PipelineHarness(zone, env, api, apiUrl.replace('[::1]', '127.0.0.1'), worker);
  }

  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.env.API_TOKEN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  /** Polls until `check` returns a value or the deadline passes. */
  async until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value !== undefined) return value;
      if (Date.now() > deadline) {
        const { body } = await this.request('GET', '/hosts');
        throw new Error(`timed out waiting for ${what}; hosts: ${JSON.stringify(body, null, 1).slice(0, 4000)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    await this.worker?.close();
    await this.api.close();
    await this.zone.stop();
  }
}
