import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@hostnet/config';
import { SimulatedZone } from '@hostnet/simulator/environment/simulated-zone';
import { API_CONFIG_KEYS } from '../../apps/api/src/api-config';
import { setupHttp } from '../../apps/api/src/api-http.setup';
import { ApiModule } from '../../apps/api/src/api.module';
import { HostStatusRepository } from '../../apps/api/src/hosts/host-status.repository';
import { HostPollerService } from '../../apps/api/src/poller/host-poller.service';
import type { HostStatusRecord } from '../../apps/api/src/hosts/host-status.types';
import type { CleanupStack } from './cleanup-stack';
import { rolloutFigures, type HostCounters, type RolloutFigures } from './rollout-figures';
import { ExecWatcher } from './exec-watcher';
import { QueueProbe } from './queue-probe';
import { WorkerProcess } from './worker-process';

export interface PipelineBenchOptions {
  hosts: number;
  concurrency: number;
  applyLatencyMs: number;
  redisUrl?: string;
  timeoutMs: number;
  /** After the worker is done, how long to wait for api to record every host's final phase. */
  enableWaitMs: number;
  log: (line: string) => void;
}

/** Figures of the pipeline benchmark on simulated hosts. */
export interface PipelineBenchResult {
  hosts: number;
  concurrency: number;
  applyLatencyMs: number;
  /** Starting N simulated hosts, CloudStack simulator and Redis (not part of any rollout). */
  zoneStartMs: number;
  /** First rollout: every host new (Disabled, Alert) → configured, verified, enabled (poller-driven). */
  change: RolloutFigures;
  /** Second rollout: the operator re-runs the whole zone; every host is already right. */
  noop: RolloutFigures;
  /** One poller pass over the configured zone after both rollouts (nothing left to do): CloudStack calls by command. */
  pollerPass: { total: number; byCommand: Record<string, number> };
  /** Worker process peak RSS (kernel VmHWM), MiB, after each rollout. */
  workerPeakRssMiB: { afterChange: number; afterNoop: number };
}

const TERMINAL = new Set(['enabled', 'failed', 'rolled-back', 'enable-failed']);

/**
 * The whole pipeline on N simulated hosts: the worker as its own process (the real main, so its RSS is
 * honest), api in this process next to the simulators. Everything started is registered on `cleanup`.
 */
export async function runPipelineBench(opts: PipelineBenchOptions, cleanup: CleanupStack): Promise<PipelineBenchResult> {
  let t = Date.now();
  const zone = await SimulatedZone.start({ hosts: opts.hosts, applyLatencyMs: opts.applyLatencyMs, rollbackSeconds: 60, ...(opts.redisUrl ? { redisUrl: opts.redisUrl } : {}) });
  cleanup.defer('simulated zone', () => zone.stop());
  const zoneStartMs = Date.now() - t;
  opts.log(`zone up: ${opts.hosts} simulated hosts, CloudStack simulator, Redis in ${(zoneStartMs / 1000).toFixed(1)} s`);

  const env: Record<string, string> = { ...zone.env, WORKER_CONCURRENCY: String(opts.concurrency), LOG_LEVEL: 'log', HOSTNET_SSH_COMMAND_TIMEOUT_MS: '300000' };
  const worker = await WorkerProcess.start(env);
  cleanup.defer('worker process', () => worker.stop());
  opts.log(`worker pid ${worker.pid} started (concurrency ${opts.concurrency})`);

  const hosts = [...zone.hosts.values()];
  const counters = (): HostCounters[] => hosts.map((h) => ({ connections: h.stats.connections, execs: h.stats.execs }));
  const idealMs = Math.ceil(opts.hosts / opts.concurrency) * opts.applyLatencyMs;

  // Rollout 1: starting api starts the poller, which finds every Disabled host and enqueues it.
  let before = counters();
  let watcher = new ExecWatcher(() => hosts.map((h) => h.stats.execs));
  zone.cloudstack.calls.clear();
  t = Date.now();
  const api = await NestFactory.create(ApiModule.forRoot(loadConfig(API_CONFIG_KEYS, { ...env, LOG_LEVEL: 'warn' })), { rawBody: true, logger: ['error', 'warn'] });
  cleanup.defer('api', () => api.close());
  setupHttp(api, env['API_TOKEN']!);
  await api.listen(0, '127.0.0.1');
  const statuses = api.get(HostStatusRepository);
  const probe = QueueProbe.create(env['REDIS_URL']!, env['QUEUE_PREFIX']!);
  cleanup.defer('queue probe', () => probe.close());
  const ctx = { statuses, probe, worker, watcher };
  let wait = await waitForRollout('first rollout (change)', ctx, opts, t, 0, 'poller');
  const change = rolloutFigures({ ...wait, idealMs, sshDoneMs: watcher.lastExecMs(t), hosts: opts.hosts, since: t, histories: await histories(statuses, wait.records), before, after: counters(), calls: zone.cloudstack.calls.all() });
  const afterChange = worker.peakRssMiB();
  opts.log(`change rollout: worker ${(change.workerMs / 1000).toFixed(1)} s, outcomes ${JSON.stringify(change.outcomes)}`);

  // Rollout 2: the operator asks for the whole zone again; every host is already right.
  before = counters();
  watcher = new ExecWatcher(() => hosts.map((h) => h.stats.execs));
  zone.cloudstack.calls.clear();
  t = Date.now();
  const resultsBefore = (await probe.snapshot()).resultsTotal;
  ctx.watcher = watcher;
  const zoneId = zone.cloudstack.state.zones[0]!.id;
  await post(api, `/zones/${zoneId}/configure`, env['API_TOKEN']!, { requestedBy: 'bench' });
  wait = await waitForRollout('second rollout (no-op)', ctx, opts, t, resultsBefore, 'operator');
  const noop = rolloutFigures({ ...wait, idealMs: 0, sshDoneMs: watcher.lastExecMs(t), hosts: opts.hosts, since: t, histories: await histories(statuses, wait.records), before, after: counters(), calls: zone.cloudstack.calls.all() });
  opts.log(`no-op rollout: worker ${(noop.workerMs / 1000).toFixed(1)} s, outcomes ${JSON.stringify(noop.outcomes)}`);

  const pollerPass = await steadyPollerPass(api.get(HostPollerService), zone.cloudstack.calls);
  opts.log(`poller pass (steady state): ${pollerPass.total} CloudStack calls`);

  const result: PipelineBenchResult = {
    hosts: opts.hosts,
    concurrency: opts.concurrency,
    applyLatencyMs: opts.applyLatencyMs,
    zoneStartMs,
    change,
    noop,
    pollerPass,
    workerPeakRssMiB: { afterChange, afterNoop: worker.peakRssMiB() },
  };
  await cleanup.run();
  return result;
}

interface RolloutWait {
  /** ms until every host's run was reported by the worker and no host job was left. */
  workerMs: number;
  /** ms until api recorded a final phase for every host (undefined: not within the enable wait). */
  finalMs?: number;
  /** Runs reported beyond one per host (retries, re-runs). */
  extraRuns: number;
  /** Hosts with a final phase recorded in this rollout, when the wait ended. */
  records: HostStatusRecord[];
}

/**
 * Waits for the worker to report every host's run (queue counters), then up to `enableWaitMs` more for
 * api to record every host's final phase (api handles results one at a time, so at N=500 this is long).
 */
async function waitForRollout(
  what: string,
  ctx: { statuses: HostStatusRepository; probe: QueueProbe; worker: WorkerProcess; watcher: ExecWatcher },
  opts: PipelineBenchOptions,
  since: number,
  resultsBefore: number,
  /** Which trigger this rollout's records carry (api may still be recording the previous rollout's). */
  trigger: 'poller' | 'operator',
): Promise<RolloutWait> {
  let workerMs: number | undefined;
  let lastLog = Date.now();
  let lastStatusRead = 0;
  let records: HostStatusRecord[] = [];
  let extraRuns = 0;
  for (;;) {
    const now = Date.now();
    ctx.watcher.sample(now);
    const snap = await ctx.probe.snapshot();
    const reported = snap.resultsTotal - resultsBefore;
    if (workerMs === undefined && reported >= opts.hosts && snap.hostJobsInFlight === 0) {
      workerMs = now - since;
      extraRuns = reported - opts.hosts;
      opts.log(`  ${what}: worker reported every host after ${(workerMs / 1000).toFixed(1)} s; api has ${snap.resultsPending} results to handle`);
    }
    if (now - lastStatusRead > 1000) {
      records = (await ctx.statuses.all()).filter((r) => Date.parse(r.at) >= since && r.trigger?.kind === trigger && TERMINAL.has(r.phase));
      lastStatusRead = now;
      // a host api refused before any run (a zone lint error, say) is never reported by the worker: fail now, not at the timeout
      const refused = records.filter((r) => r.phase === 'failed' && r.jobId === undefined);
      if (refused.length > 0) throw new Error(`${what}: api refused ${refused.length} host(s) before any run; ${refused[0]!.hostName}: ${refused[0]!.reason ?? 'no reason recorded'}`);
      if (records.length === opts.hosts && workerMs !== undefined) return { workerMs, finalMs: now - since, extraRuns, records };
    }
    if (workerMs === undefined && now > since + opts.timeoutMs) {
      throw new Error(`${what}: the worker reported ${reported}/${opts.hosts} runs in ${opts.timeoutMs / 1000} s (${snap.hostJobsInFlight} host jobs in flight); worker said:\n${ctx.worker.tail()}`);
    }
    if (workerMs !== undefined && now > since + workerMs + opts.enableWaitMs) return { workerMs, extraRuns, records };
    if (now - lastLog > 15_000) {
      opts.log(`  ${what}: ${Math.min(reported, opts.hosts)}/${opts.hosts} runs reported, ${records.length} hosts final, after ${((now - since) / 1000).toFixed(0)} s`);
      lastLog = now;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * One pass of api's own poller, counted alone: it claims its 1 s window in Redis as the background
 * passes do, so none of those runs beside it (a window the background took first is skipped).
 */
async function steadyPollerPass(poller: HostPollerService, calls: { clear(): void; all(): { command: string }[] }): Promise<PipelineBenchResult['pollerPass']> {
  for (let attempt = 0; attempt < 20; attempt++) {
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 20));
    calls.clear();
    if ((await poller.pollAll()).length === 0) continue;
    const byCommand: Record<string, number> = {};
    for (const { command } of calls.all()) byCommand[command] = (byCommand[command] ?? 0) + 1;
    return { total: calls.all().length, byCommand };
  }
  throw new Error('the background poller took every window for 20 s: no pass could be counted alone');
}

async function post(api: INestApplication, path: string, token: string, body: unknown): Promise<void> {
  const url = (await api.getUrl()).replace('[::1]', '127.0.0.1');
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status !== 202) throw new Error(`POST ${path} answered ${res.status}: ${(await res.text()).slice(0, 500)}`);
}

function histories(statuses: HostStatusRepository, records: HostStatusRecord[]): Promise<HostStatusRecord[][]> {
  return Promise.all(records.map((r) => statuses.history(r.hostId, 10)));
}
