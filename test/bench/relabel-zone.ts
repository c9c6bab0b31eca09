import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@hostnet/config';
import { SimulatedZone } from '@hostnet/simulator/environment/simulated-zone';
import { API_CONFIG_KEYS } from '../../apps/api/src/api-config';
import { setupHttp } from '../../apps/api/src/api-http.setup';
import { ApiModule } from '../../apps/api/src/api.module';
import { HostStatusRepository } from '../../apps/api/src/hosts/host-status.repository';
import type { CleanupStack } from './cleanup-stack';
import { WorkerProcess } from './worker-process';

export interface RelabelZoneOptions {
  hosts: number;
  clusters: number;
  concurrency: number;
  applyLatencyMs: number;
  redisUrl?: string;
  /** Upper bound for the normal pipeline to enable every host. */
  timeoutMs: number;
  log: (line: string) => void;
}

/** Open vSwitch personas only, so figures compare with earlier runs (Linux-bridge hosts relabel too: test/e2e/relabel-linux.e2e-spec.ts). */
const OVS_PERSONAS = ['centos7', 'ubuntu2404'] as const;
const VMS_PER_HOST = 2;

/**
 * The relabel bench's zone: N simulated OVS hosts in `clusters` clusters, 2 VMs each, the worker as its own
 * process and api in this one; returned once the normal pipeline has configured and enabled every host
 * (that part is setup, not measured). Everything started is registered on `cleanup`.
 */
export class RelabelZone {
  private constructor(
    readonly zone: SimulatedZone,
    readonly api: INestApplication,
    readonly worker: WorkerProcess,
    private readonly url: string,
    private readonly token: string,
    /** Setup times, ms: zone start, then until every host was enabled. */
    readonly setupMs: { zoneStart: number; enableAll: number },
  ) {}

  static async start(opts: RelabelZoneOptions, cleanup: CleanupStack): Promise<RelabelZone> {
    let t = Date.now();
    const zone = await SimulatedZone.start({
      hosts: opts.hosts,
      clusters: opts.clusters,
      vmsPerHost: VMS_PER_HOST,
      personas: [...OVS_PERSONAS],
      applyLatencyMs: opts.applyLatencyMs,
      asyncJobDelayMs: 30,
      // sized for 2 loaded cores: a run the on-host timer cuts short is rolled back and the host never enabled
      rollbackSeconds: 120,
      ...(opts.redisUrl ? { redisUrl: opts.redisUrl } : {}),
    });
    cleanup.defer('simulated zone', () => zone.stop());
    const zoneStart = Date.now() - t;
    opts.log(`zone up: ${opts.hosts} OVS hosts in ${opts.clusters} clusters, ${VMS_PER_HOST} VMs each, in ${(zoneStart / 1000).toFixed(1)} s`);

    const env: Record<string, string> = { ...zone.env, WORKER_CONCURRENCY: String(opts.concurrency), LOG_LEVEL: 'log', HOSTNET_SSH_COMMAND_TIMEOUT_MS: '300000' };
    const worker = await WorkerProcess.start(env);
    cleanup.defer('worker process', () => worker.stop());
    t = Date.now();
    const api = await NestFactory.create(ApiModule.forRoot(loadConfig(API_CONFIG_KEYS, { ...env, LOG_LEVEL: 'warn' })), { rawBody: true, logger: ['error', 'warn'] });
    cleanup.defer('api', () => api.close());
    setupHttp(api, env['API_TOKEN']!);
    await api.listen(0, '127.0.0.1');
    const url = (await api.getUrl()).replace('[::1]', '127.0.0.1');
    await everyHostEnabled(api.get(HostStatusRepository), worker, opts, t);
    const ready = new RelabelZone(zone, api, worker, url, env['API_TOKEN']!, { zoneStart, enableAll: Date.now() - t });
    opts.log(`every host configured and enabled by the normal pipeline in ${(ready.setupMs.enableAll / 1000).toFixed(1)} s (setup, not measured)`);
    return ready;
  }

  /** A request to api over loopback HTTP, as an operator makes it; a status other than `expect` is an error. */
  async request<T>(method: 'GET' | 'POST', path: string, expect: number, body?: unknown): Promise<T> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (res.status !== expect) throw new Error(`${method} ${path} answered ${res.status} (expected ${expect}): ${text.slice(0, 500)}`);
    return JSON.parse(text) as T;
  }
}

/** Polls api's host records until every host is enabled; a host that ends otherwise stops the bench at once. */
async function everyHostEnabled(statuses: HostStatusRepository, worker: WorkerProcess, opts: RelabelZoneOptions, since: number): Promise<void> {
  let lastLog = Date.now();
  for (;;) {
    const records = await statuses.all();
    const enabled = records.filter((r) => r.phase === 'enabled').length;
    if (enabled === opts.hosts) return;
    const lost = records.find((r) => ['failed', 'rolled-back', 'enable-failed'].includes(r.phase));
    if (lost) throw new Error(`setup: the normal pipeline left ${lost.hostName} ${lost.phase}: ${lost.reason ?? 'no reason recorded'}; worker said:\n${worker.tail()}`);
    if (Date.now() > since + opts.timeoutMs) throw new Error(`setup: ${enabled}/${opts.hosts} hosts enabled after ${opts.timeoutMs / 1000} s; worker said:\n${worker.tail()}`);
    if (Date.now() - lastLog > 15_000) {
      opts.log(`  setup: ${enabled}/${opts.hosts} hosts enabled after ${((Date.now() - since) / 1000).toFixed(0)} s`);
      lastLog = Date.now();
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}
