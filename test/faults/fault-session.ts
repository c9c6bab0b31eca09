import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { configureHostJobId, QueueName, type ReportResultJobData } from '@hostnet/contracts';
import { freePort } from '@hostnet/simulator/environment/redis-process';
import type { CloudStackSimulator } from '@hostnet/simulator/cloudstack';
import { SimulatedZone } from '@hostnet/simulator/environment/simulated-zone';
import type { KvmHostPersona, SimulatedKvmHost } from '@hostnet/simulator/kvm-host';
import type { HostStatusRecord } from '../../apps/api/src/hosts/host-status.types';
import { dropPrefix } from '../support/redis-dump';
import { WorkerProcess } from '../support/worker-process';
import { HostGates } from './host-gates';
import { RestartableRedis } from './restartable-redis';

export interface SessionOptions {
  hosts: number;
  persona: KvmHostPersona;
  rollbackSeconds: number;
  workers: number;
  /** A private, restartable redis-server instead of the shared test Redis. */
  privateRedis: boolean;
  env?: Record<string, string>;
}

/** A host as a trial uses it. */
export interface SessionHost {
  name: string;
  id: string;
  kvm: SimulatedKvmHost;
  gates: HostGates;
}

/** What a session needs of its zone: the CloudStack simulator, the apps' env, and how to stop it. */
export interface SessionZone {
  cloudstack: CloudStackSimulator;
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * One simulated zone with api and worker(s) running as their built mains (so each can be killed and
 * restarted for real), gates on every host, and a view into the queues. Everything api and worker
 * know comes from the same env the apps get.
 */
export class FaultSession<H extends { name: string; id: string } = SessionHost> {
  /** Sessions not stopped yet, so an interrupted run can stop them (see faults.main.ts). */
  static readonly running = new Set<{ stop(): Promise<void> }>();
  readonly workers: WorkerProcess[] = [];
  private api?: WorkerProcess;
  private readonly redis: Redis;
  private readonly queues: { hosts: Queue; results: Queue };

  private constructor(
    readonly zone: SessionZone,
    readonly env: Record<string, string>,
    readonly hosts: H[],
    readonly privateRedis?: RestartableRedis,
  ) {
    this.redis = new Redis(env.REDIS_URL!, { maxRetriesPerRequest: null });
    this.redis.on('error', () => undefined); // the Redis-restart fault takes it away on purpose
    const opts = { connection: this.redis, prefix: env.QUEUE_PREFIX! };
    this.queues = { hosts: new Queue(QueueName.HostNetwork, opts), results: new Queue(QueueName.HostResults, opts) };
  }

  static async start(options: SessionOptions): Promise<FaultSession> {
    const zone = await SimulatedZone.start({ hosts: options.hosts, personas: [options.persona], rollbackSeconds: options.rollbackSeconds, redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' });
    let privateRedis: RestartableRedis | undefined;
    try {
      privateRedis = options.privateRedis ? await RestartableRedis.start(zone.dir) : undefined;
      const hosts = await Promise.all(
        [...zone.hosts.values()].map(async (kvm) => {
          const record = zone.cloudstack.state.hosts.find((h) => h.name === kvm.name)!;
          return { name: kvm.name, id: record.id, kvm, gates: await HostGates.install(kvm.rootDir) };
        }),
      );
      const env = { ...(privateRedis ? { REDIS_URL: privateRedis.url } : {}), ...options.env };
      return await FaultSession.attach(zone, hosts, { workers: options.workers, env }, privateRedis);
    } catch (error) {
      await privateRedis?.stop();
      await zone.stop();
      throw error;
    }
  }

  /**
   * api and `workers` workers on a zone already running (a lab's, say), with the same env the
   * simulated sessions give them plus `env`. The session owns the zone from here: stop() stops it.
   */
  static async attach<T extends { name: string; id: string }>(
    zone: SessionZone,
    hosts: T[],
    options: { workers: number; env?: Record<string, string> },
    privateRedis?: RestartableRedis,
  ): Promise<FaultSession<T>> {
    const env: Record<string, string> = {
      ...zone.env,
      POLL_INTERVAL_MS: '0',
      LOG_LEVEL: 'log',
      API_PORT: String(await freePort()),
      WORKER_STALLED_INTERVAL_MS: '2000',
      ...options.env,
    };
    const session = new FaultSession(zone, env, hosts, privateRedis);
    FaultSession.running.add(session);
    try {
      await session.startApi();
      for (let i = 0; i < options.workers; i += 1) await session.startWorker();
    } catch (error) {
      await Promise.allSettled([...session.workers.map((w) => w.kill('SIGKILL')), session.api?.kill('SIGKILL')]);
      FaultSession.running.delete(session);
      throw error;
    }
    return session;
  }

  host(name: string): H {
    const host = this.hosts.find((h) => h.name === name);
    if (!host) throw new Error(`the session has no host ${name}`);
    return host;
  }

  async startApi(): Promise<void> {
    this.api = WorkerProcess.start(this.env, builtMain('api'));
    await this.api.waitForLine(/api listening/, 60_000);
  }

  /** SIGKILLs api (results it has not handled stay in the results queue). */
  async killApi(): Promise<void> {
    await this.api?.kill('SIGKILL');
  }

  async startWorker(): Promise<WorkerProcess> {
    const worker = WorkerProcess.start(this.env, builtMain('worker'));
    this.workers.push(worker);
    await worker.waitForLine(/worker started/, 60_000);
    return worker;
  }

  /** SIGKILLs every running worker. */
  async killWorkers(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((w) => w.kill('SIGKILL')));
  }

  /** POST /hosts/:id/configure as an operator tagged `by`; the HTTP status (0 when api did not answer). */
  async configure(hostId: string, by: string): Promise<number> {
    const res = await this.http('POST', `/hosts/${hostId}/configure`, { requestedBy: by });
    return res?.status ?? 0;
  }

  /** GET /hosts/:id: the latest record and the history (newest first); undefined when api is away. */
  async view(hostId: string): Promise<{ latest: HostStatusRecord; history: HostStatusRecord[] } | undefined> {
    const res = await this.http('GET', `/hosts/${hostId}`);
    return res?.status === 200 ? ((await res.json()) as { latest: HostStatusRecord; history: HostStatusRecord[] }) : undefined;
  }

  /** Whether a host job or an unhandled result for the host is still in a queue (undefined: Redis is away). */
  async inFlight(hostId: string): Promise<boolean | undefined> {
    try {
      const job = await this.queues.hosts.getJob(configureHostJobId(hostId));
      if (job && !(await job.isCompleted()) && !(await job.isFailed())) return true;
      const pending = await this.queues.results.getJobs(['waiting', 'active', 'delayed', 'prioritized']);
      return pending.some((j) => (j?.data as ReportResultJobData | undefined)?.request.hostId === hostId);
    } catch {
      return undefined;
    }
  }

  async stop(): Promise<void> {
    FaultSession.running.delete(this);
    await Promise.allSettled([...this.workers.map((w) => w.stop(3_000)), this.api?.stop(3_000)]);
    await this.queues.hosts.close();
    await this.queues.results.close();
    if (!this.privateRedis) await dropPrefix(this.redis, this.env.QUEUE_PREFIX!).catch(() => undefined);
    this.redis.disconnect();
    await this.privateRedis?.stop();
    await this.zone.stop();
  }

  private async http(method: string, path: string, body?: unknown): Promise<Response | undefined> {
    try {
      return await fetch(`http://127.0.0.1:${this.env.API_PORT}${path}`, {
        method,
        headers: { authorization: `Bearer ${this.env.API_TOKEN}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(60_000),
      });
    } catch {
      return undefined;
    }
  }
}

/** An app's built main: next to this file when it runs from dist, under dist/ when it runs from source. */
function builtMain(app: 'api' | 'worker'): string {
  const rel = join('apps', app, 'src', 'main.js');
  const candidates = [join(__dirname, '..', '..', rel), join(__dirname, '..', '..', 'dist', rel)];
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error(`${rel} is not built: run \`npm run build\` first`);
  return found;
}
