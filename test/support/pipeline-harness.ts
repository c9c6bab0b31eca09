import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplication, INestApplicationContext, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Job, Queue } from 'bullmq';
import Redis from 'ioredis';
import { QueueName, type ReportResultJobData } from '@hostnet/contracts';
import { loadConfig } from '@hostnet/config';
import { SHUTDOWN_SIGNALS } from '@hostnet/platform';
import { SimulatedZone, type SimulatedZoneOptions } from '@hostnet/simulator/environment/simulated-zone';
import type { SimulatedKvmHost } from '@hostnet/simulator/kvm-host';
import type { HostRecord } from '@hostnet/simulator/cloudstack';
import { API_CONFIG_KEYS } from '../../apps/api/src/api-config';
import { ApiModule } from '../../apps/api/src/api.module';
import { setupHttp } from '../../apps/api/src/api-http.setup';
import type { HostPhase, HostStatusRecord, RejectedResultRecord } from '../../apps/api/src/hosts/host-status.types';
import { WORKER_CONFIG_KEYS } from '../../apps/worker/src/worker-config';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { HostRunRegistry } from '../../apps/api/src/runs/host-run.registry';
import { freePort } from '@hostnet/simulator/environment/redis-process';
import { dropPrefix } from './redis-dump';
import { API_MAIN, WorkerProcess } from './worker-process';
import { workerEnvOf } from '@hostnet/simulator/environment/worker-env';

export interface PipelineOptions extends SimulatedZoneOptions {
  /** Extra env for both apps (e.g. POLL_INTERVAL_MS=0 to drive triggers by hand). */
  env?: Record<string, string>;
  /** Start a worker in this process (default true). */
  worker?: boolean;
  /** Loggers for the apps (default: errors only, or Nest's console with HOSTNET_TEST_LOGS set). */
  loggers?: { api?: LoggerService; worker?: LoggerService };
}

function startWorkerContext(env: Record<string, string>, logger: LoggerService | 'error'[] | undefined): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(WorkerModule.forRoot(loadConfig(WORKER_CONFIG_KEYS, workerEnvOf(env))), logger ? { logger } : {});
}

export { workerEnvOf };

/** GET /hosts/:id: a host's latest status and its history, newest first. */
export interface HostView {
  latest: HostStatusRecord;
  history: HostStatusRecord[];
  /** Results api refused to act on (no run of theirs in flight), newest first. */
  rejectedResults: RejectedResultRecord[];
}

/** Body of POST /hosts/:id/configure. */
export interface ConfigureRequest {
  dryRun?: boolean;
  force?: boolean;
  enable?: boolean;
  requestedBy?: string;
}

/**
 * api + worker running in this process against a SimulatedZone and the test Redis: the same modules
 * the mains build, with config validated by the same schema.
 */
export class PipelineHarness {
  private readonly apiProcesses: WorkerProcess[] = [];
  private workerLogger: LoggerService | 'error'[] | undefined;
  private apiClosed = false;

  private constructor(
    readonly zone: SimulatedZone,
    readonly env: Record<string, string>,
    /** The in-process api; closed once startApiProcess() replaced it. */
    readonly api: INestApplication,
    private currentApiUrl: string,
    /** The in-process worker; set later by startWorker() when started with `worker: false`. */
    public worker?: INestApplicationContext,
  ) {}

  /** Starts the in-process worker now (for a harness started with `worker: false`), e.g. once jobs wait in the queue. */
  async startWorker(): Promise<INestApplicationContext> {
    if (this.worker) throw new Error('the harness already runs a worker');
    this.worker = await startWorkerContext(this.env, this.workerLogger);
    return this.worker;
  }

  /** Where requests go: the in-process api, or the api process startApiProcess() started last. */
  get apiUrl(): string {
    return this.currentApiUrl;
  }

  /**
   * Replaces the in-process api (closed on the first call) by the built api main in its own process, on
   * the same Redis and zone, so a test can SIGKILL it; requests go to it from now on. Needs a fresh
   * `npm run build` (ensureBuiltApps).
   */
  async startApiProcess(): Promise<WorkerProcess> {
    if (!this.apiClosed) {
      this.apiClosed = true;
      await this.api.close();
    }
    const port = await freePort();
    const api = WorkerProcess.start({ ...this.env, API_HOST: '127.0.0.1', API_PORT: String(port) }, API_MAIN);
    this.apiProcesses.push(api);
    await api.waitForLine(/api listening/, 60_000);
    this.currentApiUrl = `http://127.0.0.1:${port}`;
    return api;
  }

  static async start(options: PipelineOptions = {}): Promise<PipelineHarness> {
    const zone = await SimulatedZone.start({ redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', ...options });
    try {
      const env: Record<string, string> = { ...zone.env, LOG_LEVEL: 'warn', ...options.env };
      const quiet = process.env.HOSTNET_TEST_LOGS ? undefined : (['error'] as 'error'[]);
      const apiLogger = options.loggers?.api ?? quiet;
      const workerLogger = options.loggers?.worker ?? quiet;
      const api = await NestFactory.create(ApiModule.forRoot(loadConfig(API_CONFIG_KEYS, env)), {
        rawBody: true,
        ...(apiLogger ? { logger: apiLogger } : {}),
      });
      api.enableShutdownHooks(SHUTDOWN_SIGNALS);
      setupHttp(api, env['API_TOKEN'] ?? '');
      await api.listen(0, '127.0.0.1');
      const apiUrl = await api.getUrl();
      const worker = options.worker === false ? undefined : await startWorkerContext(env, workerLogger);
      const harness = new PipelineHarness(zone, env, api, apiUrl.replace('[::1]', '127.0.0.1'), worker);
      harness.workerLogger = workerLogger;
      return harness;
    } catch (error) {
      await zone.stop();
      throw error;
    }
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
        const { body } = await this.request<{ hostName: string; phase: string; reason?: string }[]>('GET', '/hosts');
        const summary = (body ?? []).map((s) => `${s.hostName}: ${s.phase}${s.reason ? ` (${s.reason})` : ''}`);
        throw new Error(`timed out waiting for ${what}; hosts: ${summary.join('; ')}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The simulated KVM host and its CloudStack record, by name (kvm1, kvm2, …). */
  host(name: string): { kvm: SimulatedKvmHost; record: HostRecord; id: string } {
    const kvm = this.zone.hosts.get(name);
    const record = this.zone.cloudstack.state.hosts.find((h) => h.name === name);
    if (!kvm || !record) throw new Error(`the simulated zone has no host ${name}`);
    return { kvm, record, id: record.id };
  }

  /** POST /hosts/:id/configure. */
  configure(hostId: string, body: ConfigureRequest = {}) {
    return this.request<{ hostId: string; jobId?: string; runId?: string; enqueued: boolean; skipped?: string }>('POST', `/hosts/${hostId}/configure`, body);
  }

  /** GET /hosts/:id, undefined while hostnet has no record of the host. */
  async view(hostId: string): Promise<HostView | undefined> {
    const { status, body } = await this.request<HostView>('GET', `/hosts/${hostId}`);
    if (status === 404) return undefined;
    if (status !== 200) throw new Error(`GET /hosts/${hostId} answered ${status}: ${JSON.stringify(body)}`);
    return body;
  }

  /**
   * Waits until the host's latest status is `phase` for a run requested by `requestedBy` (an
   * operator's tag in the history), or any run when undefined.
   */
  waitForPhase(hostId: string, phase: HostPhase, requestedBy?: string, timeoutMs = 60_000): Promise<HostView> {
    return this.until(
      `host ${hostId} ${phase}${requestedBy ? ` (${requestedBy})` : ''}`,
      async () => {
        const view = await this.view(hostId);
        const { latest } = view ?? {};
        const mine = requestedBy === undefined || latest?.trigger?.by === requestedBy;
        return latest?.phase === phase && mine ? view : undefined;
      },
      timeoutMs,
    );
  }

  /** Waits for the result of a dry-run `requestedBy` asked for: it keeps the host's phase, so its outcome tells it. */
  waitForDryRun(hostId: string, requestedBy: string, timeoutMs = 60_000): Promise<HostView> {
    return this.until(
      `host ${hostId} dry-run (${requestedBy})`,
      async () => {
        const view = await this.view(hostId);
        const latest = view?.latest;
        return latest?.dryRun && latest.outcome?.status === 'dry-run' && latest.trigger?.by === requestedBy ? view : undefined;
      },
      timeoutMs,
    );
  }

  /**
   * Waits until no run of the host is in flight: its result recorded is not enough, since api holds the
   * run until it has handled the result (reconnect, enable), and a trigger meanwhile joins that run.
   */
  waitForNoRun(hostId: string, timeoutMs = 60_000): Promise<true> {
    const runs = this.api.get(HostRunRegistry);
    return this.until(`no run of host ${hostId} in flight`, async () => ((await runs.current(hostId)) === undefined ? true : undefined), timeoutMs);
  }

  /** A queue as api holds it (same connection and prefix). */
  queue<T = unknown>(name: QueueName): Queue<T> {
    return this.api.get<Queue<T>>(getQueueToken(name));
  }

  /** Every result the worker reported for `hostId` (kept by api after processing), oldest first. */
  async reportedResults(hostId: string): Promise<Job<ReportResultJobData>[]> {
    const jobs = await this.queue<ReportResultJobData>(QueueName.HostResults).getJobs(['completed', 'failed', 'active', 'waiting', 'delayed']);
    return jobs.filter((j) => j?.data.request.hostId === hostId).sort((a, b) => a.timestamp - b.timestamp);
  }

  /** A fresh Redis connection to the test Redis (the caller quits it). */
  redis(): Redis {
    return new Redis(this.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  }

  /** Stops worker, api and zone, then deletes every Redis key the run wrote under its QUEUE_PREFIX. */
  async stop(): Promise<void> {
    await this.worker?.close();
    await Promise.all(this.apiProcesses.map((api) => api.stop(5_000)));
    if (!this.apiClosed) await this.api.close();
    await this.zone.stop();
    const redis = this.redis();
    try {
      await dropPrefix(redis, this.env.QUEUE_PREFIX ?? '');
    } finally {
      await redis.quit();
    }
  }
}
