import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@hostnet/config';
import { freePort } from '@hostnet/simulator/environment/redis-process';
import { API_CONFIG_KEYS } from '../../apps/api/src/api-config';
import { setupHttp } from '../../apps/api/src/api-http.setup';
import { ApiModule } from '../../apps/api/src/api.module';
import { HostStatusRepository } from '../../apps/api/src/hosts/host-status.repository';
import type { HostStatusRecord } from '../../apps/api/src/hosts/host-status.types';
import { CleanupStack } from './cleanup-stack';
import { ExecWatcher } from './exec-watcher';
import { QueueProbe } from './queue-probe';
import { waitForRollout, type RolloutWaitContext } from './rollout-wait';
import { checkCounts, countBy, deltas, type OnceCheck } from './scale-out-proof';
import { API_MAIN, WorkerProcess } from './worker-process';
import type { PipelineBenchOptions } from './pipeline.bench';
import { ZoneProcess } from './zone-process';

/** The pipeline bench's options; `concurrency` is every worker process's WORKER_CONCURRENCY. */
export type ScaleOutRoundOptions = PipelineBenchOptions;

/** One rollout over the zone with N workers and two api replicas. */
export interface ScaleOutRollout {
  /** First host queued → last result reported by a worker: the workers' share of the rollout. */
  windowMs: number;
  hostsPerSecond: number;
  /** Trigger (api start, or the operator's POST) → every host final in api; undefined past the enable wait. */
  finalMs?: number;
  outcomes: Record<string, number>;
  /** Host runs each worker process logged an outcome for, in start order. */
  runsPerWorker: number[];
  /** Every host exactly once (change) or never (no-op), from three independent records. */
  proof: {
    /** Results the workers reported, per host (Redis, the host-results queue): 1 in both rollouts. */
    results: OnceCheck;
    /** Applies begun on the host, per host (its on-host run journals): 1 in the change rollout, 0 in the no-op. */
    applies: OnceCheck;
    /** `updateHost allocationstate=Enable` calls, per host (the CloudStack simulator's call log): 1, then 0. */
    enables: OnceCheck;
  };
}

export interface ScaleOutRound {
  workers: number;
  /** Concurrency slots over all workers (workers × WORKER_CONCURRENCY). */
  totalConcurrency: number;
  apiReplicas: number;
  zoneStartMs: number;
  change: ScaleOutRollout;
  noop: ScaleOutRollout;
}

/**
 * A fresh simulated zone (every host unconfigured) with `workers` worker processes and two api replicas
 * (this process's and the built api main in its own) on the zone's one Redis: the change rollout the
 * pollers start, then the no-op rollout an operator asks for. Everything it started is stopped before it returns
 * (and by `outer` when that runs first, on Ctrl-C).
 */
export async function runScaleOutRound(workers: number, opts: ScaleOutRoundOptions, outer: CleanupStack): Promise<ScaleOutRound> {
  const cleanup = new CleanupStack();
  // Ctrl-C during the round (main runs `outer`) stops what the round started; once the round is over this step finds nothing left
  outer.defer(`scale-out round with ${workers} worker(s)`, () => cleanup.run());
  try {
    let t = Date.now();
    const zone = await ZoneProcess.start({ hosts: opts.hosts, applyLatencyMs: opts.applyLatencyMs, latencyPer: 'apply', hostModel: opts.hostModel, hostThreads: opts.hostThreads, rollbackSeconds: 60, ...(opts.redisUrl ? { redisUrl: opts.redisUrl } : {}) });
    cleanup.defer('simulated zone', () => zone.stop());
    const zoneStartMs = Date.now() - t;
    const env: Record<string, string> = { ...zone.env, WORKER_CONCURRENCY: String(opts.concurrency), LOG_LEVEL: 'log', HOSTNET_SSH_COMMAND_TIMEOUT_MS: '300000' };
    const pool: WorkerProcess[] = [];
    for (let i = 0; i < workers; i++) {
      const worker = await WorkerProcess.start(env, 60_000);
      cleanup.defer(`worker process ${i + 1}`, () => worker.stop());
      pool.push(worker);
    }
    const probe = QueueProbe.create(env['REDIS_URL']!, env['QUEUE_PREFIX']!);
    cleanup.defer('queue probe', () => probe.close());
    const names = zone.started.hosts.map((h) => h.name);
    const nameOf = new Map(zone.started.hosts.map((h) => [h.id, h.name]));
    opts.log(`  ${workers} worker(s) × concurrency ${opts.concurrency} up (pids ${pool.map((w) => w.pid).join(', ')}); zone in ${(zoneStartMs / 1000).toFixed(1)} s`);

    // Change rollout: both api replicas start their pollers, which find every Disabled host.
    const applyBefore = await zone.applyBegins();
    const runsBefore = pool.map((w) => w.outcomeLines());
    await zone.clearCalls();
    t = Date.now();
    const apiEnv = { ...env, LOG_LEVEL: 'warn' };
    const port = await freePort();
    const replica = await WorkerProcess.start({ ...apiEnv, API_HOST: '127.0.0.1', API_PORT: String(port) }, 60_000, API_MAIN, /api listening/);
    cleanup.defer('api replica process', () => replica.stop());
    const api = await NestFactory.create(ApiModule.forRoot(loadConfig(API_CONFIG_KEYS, apiEnv)), { rawBody: true, logger: ['error', 'warn'] });
    cleanup.defer('api', () => api.close());
    setupHttp(api, env['API_TOKEN']!);
    await api.listen(0, '127.0.0.1');
    const statuses = api.get(HostStatusRepository);
    const ctx: RolloutWaitContext = { statuses, probe, worker: pool[0]!, zone, watcher: new ExecWatcher(names.map(() => 0)) };
    const changeWait = await waitForRollout(`${workers} worker(s), change rollout`, ctx, opts, t, 0, 'poller');
    const change = await rolloutOf({ statuses, probe, zone, pool, names, nameOf, since: t, wait: changeWait, applyBefore, runsBefore, expectApplies: 1, expectEnables: 1 });

    // No-op rollout: the operator asks for the whole zone again, through the replica in its own process.
    const applyAfterChange = await zone.applyBegins();
    const runsAfterChange = pool.map((w) => w.outcomeLines());
    await zone.clearCalls();
    const resultsBefore = (await probe.snapshot()).resultsTotal;
    t = Date.now();
    const res = await fetch(`http://127.0.0.1:${port}/zones/${zone.started.zoneId}/configure`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env['API_TOKEN']!}`, 'content-type': 'application/json' },
      body: JSON.stringify({ requestedBy: 'bench-scale-out' }),
    });
    if (res.status !== 202) throw new Error(`POST /zones/:id/configure on the api replica answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    const noopWait = await waitForRollout(`${workers} worker(s), no-op rollout`, ctx, opts, t, resultsBefore, 'operator');
    const noop = await rolloutOf({ statuses, probe, zone, pool, names, nameOf, since: t, wait: noopWait, applyBefore: applyAfterChange, runsBefore: runsAfterChange, expectApplies: 0, expectEnables: 0 });
    return { workers, totalConcurrency: workers * opts.concurrency, apiReplicas: 2, zoneStartMs, change, noop };
  } finally {
    const failures = await cleanup.run();
    for (const failure of failures) opts.log(`  cleanup failed: ${failure}`);
  }
}

async function rolloutOf(input: {
  statuses: HostStatusRepository;
  probe: QueueProbe;
  zone: ZoneProcess;
  pool: WorkerProcess[];
  names: string[];
  nameOf: Map<string, string>;
  since: number;
  wait: { finalMs?: number; records: HostStatusRecord[] };
  applyBefore: number[];
  runsBefore: number[];
  expectApplies: number;
  expectEnables: number;
}): Promise<ScaleOutRollout> {
  const { since, names, nameOf } = input;
  // let a duplicate (a second result, a second enable) that is still on its way show up before counting
  await new Promise((r) => setTimeout(r, 1500));
  const results = await input.probe.resultTimes(since);
  const histories = await Promise.all(input.wait.records.map((r) => input.statuses.history(r.hostId, 10)));
  const queuedAt = histories.flat().filter((h) => h.phase === 'queued' && Date.parse(h.at) >= since).map((h) => Date.parse(h.at));
  const firstQueued = queuedAt.length > 0 ? Math.min(...queuedAt) : since;
  const lastResult = results.length > 0 ? Math.max(...results.map((r) => r.reportedAt)) : Date.now();
  const windowMs = Math.max(1, lastResult - firstQueued);
  const outcomes: Record<string, number> = {};
  for (const r of input.wait.records) {
    const status = r.outcome?.status ?? r.phase;
    outcomes[status] = (outcomes[status] ?? 0) + 1;
  }
  const enables = (await input.zone.calls()).filter((c) => c.command === 'updateHost' && c.params['allocationstate'] === 'Enable');
  const name = (id: string) => nameOf.get(id) ?? id;
  return {
    windowMs,
    hostsPerSecond: names.length / (windowMs / 1000),
    ...(input.wait.finalMs !== undefined ? { finalMs: input.wait.finalMs } : {}),
    outcomes,
    runsPerWorker: input.pool.map((w, i) => w.outcomeLines() - input.runsBefore[i]!),
    proof: {
      results: checkCounts(names, countBy(results.map((r) => name(r.hostId))), 1),
      applies: checkCounts(names, deltas(names, input.applyBefore, await input.zone.applyBegins()), input.expectApplies),
      enables: checkCounts(names, countBy(enables.map((c) => name(c.params['id'] ?? ''))), input.expectEnables),
    },
  };
}
