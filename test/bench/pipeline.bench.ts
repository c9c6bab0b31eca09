import type { HostModel } from '@hostnet/simulator/kvm-host';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@hostnet/config';
import { API_CONFIG_KEYS } from '../../apps/api/src/api-config';
import { setupHttp } from '../../apps/api/src/api-http.setup';
import { ApiModule } from '../../apps/api/src/api.module';
import { HostStatusRepository } from '../../apps/api/src/hosts/host-status.repository';
import { HostPollerService } from '../../apps/api/src/poller/host-poller.service';
import type { HostStatusRecord } from '../../apps/api/src/hosts/host-status.types';
import type { CleanupStack } from './cleanup-stack';
import { ExecWatcher } from './exec-watcher';
import { cloudStackCallMix } from './cloudstack-call-mix';
import { pipelineGoals, type PipelineGoals } from './pipeline-goals';
import { QueueProbe } from './queue-probe';
import { RedisCommandCounter } from './redis-commands';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { resultLag, type ResultLag } from './result-lag';
import { RolloutCostMeter, type RolloutCost } from './rollout-cost';
import { rolloutFigures, type HostCounters, type RolloutFigures } from './rollout-figures';
import { waitForRollout, type RolloutWaitContext } from './rollout-wait';
import { SshBaseline, type BaselineFigures } from './ssh-baseline';
import { WorkerProcess } from './worker-process';
import { ZoneProcess } from './zone-process';

export interface PipelineBenchOptions {
  hosts: number;
  concurrency: number;
  applyLatencyMs: number;
  redisUrl?: string;
  timeoutMs: number;
  /** After the worker is done, how long to wait for api to record every host's final phase. */
  enableWaitMs: number;
  /** How the simulated hosts run the worker's scripts (BenchOptions.hostModel). */
  hostModel: HostModel;
  /** Worker threads the simulated hosts are spread over (BenchOptions.hostThreads). */
  hostThreads: number;
  log: (line: string) => void;
}

/** Figures of the pipeline benchmark on simulated hosts. */
export interface PipelineBenchResult {
  hosts: number;
  concurrency: number;
  applyLatencyMs: number;
  /** How the simulated hosts ran the worker's scripts. */
  hostModel: HostModel;
  /** Worker threads of the zone process the simulated hosts ran in. */
  hostThreads: number;
  /** Starting N simulated hosts, CloudStack simulator and Redis (not part of any rollout). */
  zoneStartMs: number;
  /** First rollout: every host new (Disabled, Alert) → configured, verified, enabled (poller-driven). */
  change: RolloutFigures;
  /** Second rollout: the operator re-runs the whole zone; every host is already right. */
  noop: RolloutFigures;
  /** What each rollout cost the worker, api and Redis, per host. */
  cost: { change: RolloutCost; noop: RolloutCost };
  /** How far api was behind the worker's results, per rollout. */
  resultLag: { change: ResultLag; noop: ResultLag };
  /**
   * Bare ssh2 against the same hosts at the same concurrency: the change rollout's SSH work, and one connect + exec
   * per host, each on the idle zone after the rollouts; and `besideChange`, a sample of hosts given the same SSH
   * work while the change rollout runs, its CPU read under the same load as the worker's (undefined when the
   * worker's SSH work per host was not the sample's).
   */
  baseline: { rollout: BaselineFigures; oneExec: BaselineFigures; besideChange?: BaselineFigures };
  /** One poller pass over the configured zone after both rollouts (nothing left to do): CloudStack calls by command. */
  pollerPass: { total: number; byCommand: Record<string, number> };
  /** Worker process peak RSS (kernel VmHWM), MiB, after each rollout. */
  workerPeakRssMiB: { afterChange: number; afterNoop: number };
  goals: PipelineGoals;
}

/**
 * The whole pipeline on N simulated hosts: the simulated zone and the worker (the real main) each in
 * their own process, api in this one, so each one's CPU and memory are read apart. Everything started
 * is registered on `cleanup`.
 */
export async function runPipelineBench(opts: PipelineBenchOptions, cleanup: CleanupStack): Promise<PipelineBenchResult> {
  let t = Date.now();
  const zone = await ZoneProcess.start({ hosts: opts.hosts, applyLatencyMs: opts.applyLatencyMs, latencyPer: 'apply', hostModel: opts.hostModel, hostThreads: opts.hostThreads, rollbackSeconds: 60, ...(opts.redisUrl ? { redisUrl: opts.redisUrl } : {}) });
  cleanup.defer('simulated zone', () => zone.stop());
  const zoneStartMs = Date.now() - t;
  opts.log(`zone up (own process): ${opts.hosts} simulated hosts, CloudStack simulator, Redis in ${(zoneStartMs / 1000).toFixed(1)} s`);

  // Connections are not kept between runs here: the goals compare each run with bare ssh2 connecting anew
  // (the no-op with one connect + exec per host). Kept connections are measured by the lab bench.
  const env: Record<string, string> = { ...zone.env, WORKER_CONCURRENCY: String(opts.concurrency), LOG_LEVEL: 'log', HOSTNET_SSH_COMMAND_TIMEOUT_MS: '300000', HOSTNET_SSH_KEEP_SECONDS: '0' };
  const worker = await WorkerProcess.start(env);
  cleanup.defer('worker process', () => worker.stop());
  opts.log(`worker pid ${worker.pid} started (concurrency ${opts.concurrency})`);
  const probe = QueueProbe.create(env['REDIS_URL']!, env['QUEUE_PREFIX']!);
  cleanup.defer('queue probe', () => probe.close());
  const redis = RedisCommandCounter.create(env['REDIS_URL']!);
  cleanup.defer('redis counter', () => redis.close());
  const meter = new RolloutCostMeter(() => worker.cpuMs(), redis, () => zone.cpuMs());
  const idealMs = Math.ceil(opts.hosts / opts.concurrency) * opts.applyLatencyMs;

  // api polls async jobs at the product's default interval: the simulated zone's is a test-speed setting.
  const apiEnv: Record<string, string> = { ...env, LOG_LEVEL: 'warn' };
  delete apiEnv['CLOUDSTACK_ASYNC_POLL_INTERVAL_MS'];
  const apiConfig = loadConfig(API_CONFIG_KEYS, apiEnv);

  // Rollout 1: starting api starts the poller, which finds every Disabled host and enqueues it.
  const beforeChange = await zone.counters();
  await zone.clearCalls();
  const besideChange = await SshBaseline.start();
  cleanup.defer('ssh baseline beside the change rollout', () => besideChange.stop());
  const changeStart = await meter.mark();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  t = Date.now();
  const sampled = measureBesideRollout(besideChange, zone, env['HOSTNET_SSH_KEY']!, opts);
  sampled.catch(() => undefined); // awaited after the rollout; a failure must not end the process before that
  const api = await NestFactory.create(ApiModule.forRoot(apiConfig), { rawBody: true, logger: ['error', 'warn'] });
  cleanup.defer('api', () => api.close());
  setupHttp(api, env['API_TOKEN']!);
  await api.listen(0, '127.0.0.1');
  const statuses = api.get(HostStatusRepository);
  const ctx: RolloutWaitContext = { statuses, probe, worker, zone, watcher: new ExecWatcher(beforeChange.map((c) => c.execs)) };
  const changeWait = await waitForRollout('first rollout (change)', ctx, opts, t, 0, 'poller');
  const changeEnd = await meter.mark();
  // read before the bench's own big reads below, which run on api's event loop too
  const changeLoopDelayMs = loopDelay.max / 1e6;
  const sample = await sampled;
  const countedAfterChange = await zone.counters();
  // what the hosts saw from the worker: the sample's connections and execs taken out
  const afterChange = withoutSample(countedAfterChange, sample);
  const changeHistories = await histories(statuses, changeWait.records);
  const changeLag = { ...resultLag(await probe.resultTimes(t), changeHistories), apiLoopDelayMaxMs: changeLoopDelayMs };
  const changeCalls = await zone.calls();
  const change = rolloutFigures({ ...changeWait, idealMs, sshDoneMs: ctx.watcher.lastExecMs(t), hosts: opts.hosts, since: t, histories: changeHistories, before: beforeChange, after: afterChange, calls: changeCalls });
  const rssAfterChange = worker.peakRssMiB();
  opts.log(`change rollout: worker ${(change.workerMs / 1000).toFixed(1)} s, outcomes ${JSON.stringify(change.outcomes)}`);
  // the hosts' exec counters cannot tell the sample's execs from the worker's
  if (sample.endedAt - t > change.workerMs) opts.log(`note: the ssh2 sample ended after the worker's last run; "last SSH exec at" includes its execs`);

  // Rollout 2: the operator asks for the whole zone again; every host is already right.
  ctx.watcher = new ExecWatcher(countedAfterChange.map((c) => c.execs));
  await zone.clearCalls();
  const resultsBefore = (await probe.snapshot()).resultsTotal;
  const noopStart = await meter.mark();
  loopDelay.reset();
  t = Date.now();
  await post(api, `/zones/${zone.started.zoneId}/configure`, env['API_TOKEN']!, { requestedBy: 'bench' });
  const noopWait = await waitForRollout('second rollout (no-op)', ctx, opts, t, resultsBefore, 'operator');
  const noopEnd = await meter.mark();
  const noopLoopDelayMs = loopDelay.max / 1e6;
  loopDelay.disable();
  const noopHistories = await histories(statuses, noopWait.records);
  const noop = rolloutFigures({ ...noopWait, idealMs: 0, sshDoneMs: ctx.watcher.lastExecMs(t), hosts: opts.hosts, since: t, histories: noopHistories, before: countedAfterChange, after: await zone.counters(), calls: await zone.calls() });
  opts.log(`no-op rollout: worker ${(noop.workerMs / 1000).toFixed(1)} s, outcomes ${JSON.stringify(noop.outcomes)}`);
  const lag = { change: changeLag, noop: { ...resultLag(await probe.resultTimes(t), noopHistories), apiLoopDelayMaxMs: noopLoopDelayMs } };

  const pollerPass = await steadyPollerPass(api.get(HostPollerService), zone);
  opts.log(`poller pass (steady state): ${pollerPass.total} CloudStack calls`);

  // What the bench's own reads cost, on the idle zone, to take them out of api's figures.
  const readCost = {
    poll: await meter.readCost(async () => (await zone.counters(), await probe.snapshot())),
    statusRead: await meter.readCost(() => statuses.all()),
  };
  const cost = {
    change: RolloutCostMeter.cost(changeStart, changeEnd, opts.hosts, changeWait.reads, readCost),
    noop: RolloutCostMeter.cost(noopStart, noopEnd, opts.hosts, noopWait.reads, readCost),
  };

  const baseline = { ...(await measureBaseline(zone, env['HOSTNET_SSH_KEY']!, opts, beforeChange, afterChange, cleanup)), besideChange: sameWork(sample.figures, change) ? sample.figures : undefined };
  if (!baseline.besideChange) opts.log(`baseline beside the change rollout not used: the worker's SSH work per host (${change.sshConnectionsPerHost} connections, ${change.sshExecsPerHost} execs) was not the sample's`);
  const workerPeakRssMiB = { afterChange: rssAfterChange, afterNoop: worker.peakRssMiB() };
  const goals = pipelineGoals({
    ...opts,
    changeWorkerMs: change.workerMs,
    noopWorkerMs: noop.workerMs,
    baselineRollout: baseline.rollout,
    baselineOneExec: baseline.oneExec,
    ...(baseline.besideChange ? { baselineBesideChange: baseline.besideChange } : {}),
    workerCpuMsPerHost: cost.change.workerCpuMsPerHost,
    workerPeakRssMiB: Math.max(workerPeakRssMiB.afterChange, workerPeakRssMiB.afterNoop),
    lags: [lag.change, lag.noop],
    changeCalls: cloudStackCallMix(changeCalls, apiConfig.CLOUDSTACK_ASYNC_POLL_INTERVAL_MS),
  });
  const result: PipelineBenchResult = { hosts: opts.hosts, concurrency: opts.concurrency, applyLatencyMs: opts.applyLatencyMs, hostModel: opts.hostModel, hostThreads: opts.hostThreads, zoneStartMs, change, noop, cost, resultLag: lag, baseline, pollerPass, workerPeakRssMiB, goals };
  await cleanup.run();
  return result;
}

/**
 * Bare ssh2 in its own process against the same hosts, at the same concurrency: first exactly the
 * connections and execs each host saw from the worker in the change rollout, then one connect + exec each.
 */
async function measureBaseline(
  zone: ZoneProcess,
  keyPath: string,
  opts: PipelineBenchOptions,
  before: { connections: number; execs: number }[],
  after: { connections: number; execs: number }[],
  cleanup: CleanupStack,
): Promise<PipelineBenchResult['baseline']> {
  const baseline = await SshBaseline.start();
  cleanup.defer('ssh baseline', () => baseline.stop());
  const common = { hosts: zone.started.hosts, keyPath, concurrency: opts.concurrency, command: 'true' };
  const rollout = await baseline.measure({ ...common, connections: after.map((a, i) => a.connections - before[i]!.connections), execs: after.map((a, i) => a.execs - before[i]!.execs) });
  opts.log(`baseline (bare ssh2, change rollout's SSH work): ${(rollout.wallMs / 1000).toFixed(2)} s, ${rollout.perHostMs.toFixed(0)} ms per host`);
  const ones = zone.started.hosts.map(() => 1);
  const oneExec = await baseline.measure({ ...common, connections: ones, execs: ones });
  opts.log(`baseline (bare ssh2, 1 connect + 1 exec per host): ${(oneExec.wallMs / 1000).toFixed(2)} s`);
  return { rollout, oneExec };
}

/**
 * What one change run does over SSH on a fresh host: facts and apply on one connection, then verify, confirm and the
 * restart of the agent (which mapped the host's bridges before the run made them) on a second.
 */
const CHANGE_RUN_SSH = { connections: 2, execs: 5 };

/**
 * Bare ssh2 doing a change run's SSH work on every 4th host (a quarter of the concurrency) while the change rollout
 * runs. On two cores the simulated fleet shares with hostnet, a CPU-bound call costs more than on an idle machine
 * (the same ssh2 signature: 1.2 ms in the worker during the rollout, 0.65 ms in the baseline after it, from CPU
 * profiles of one run), so the worker's CPU is compared with bare ssh2's read under the same load. A sample keeps
 * what it adds to the rollout small.
 */
async function measureBesideRollout(baseline: SshBaseline, zone: ZoneProcess, keyPath: string, opts: PipelineBenchOptions): Promise<BesideRollout> {
  const indexes = zone.started.hosts.map((_, i) => i).filter((i) => i % 4 === 0);
  const hosts = indexes.map((i) => zone.started.hosts[i]!);
  const figures = await baseline.measure({
    hosts,
    keyPath,
    concurrency: Math.max(1, Math.round(opts.concurrency / 4)),
    command: 'true',
    connections: hosts.map(() => CHANGE_RUN_SSH.connections),
    execs: hosts.map(() => CHANGE_RUN_SSH.execs),
  });
  opts.log(`baseline beside the change rollout (bare ssh2, ${hosts.length} hosts): ${(figures.wallMs / 1000).toFixed(2)} s, CPU ${figures.cpuMsPerHost.toFixed(1)} ms per host`);
  // a host that failed did part of the work: the worker's share of its counters would be unknown
  if (figures.failures > 0) throw new Error(`bare ssh2 beside the change rollout failed on ${figures.failures} of ${hosts.length} hosts`);
  return { figures, indexes, endedAt: Date.now() };
}

interface BesideRollout {
  figures: BaselineFigures;
  /** The sampled hosts, as indexes of the zone's hosts. */
  indexes: number[];
  /** When its last host was done (ms since the epoch). */
  endedAt: number;
}

function withoutSample(counters: HostCounters[], sample: BesideRollout): HostCounters[] {
  const sampled = new Set(sample.indexes);
  return counters.map((c, i) => (sampled.has(i) ? { connections: c.connections - CHANGE_RUN_SSH.connections, execs: c.execs - CHANGE_RUN_SSH.execs } : c));
}

/** The sample did per host what the worker did. */
function sameWork(sample: BaselineFigures, change: RolloutFigures): boolean {
  return change.sshConnectionsPerHost === sample.connections && change.sshExecsPerHost === sample.execs;
}

/**
 * One pass of api's own poller, counted alone: it claims its 1 s window in Redis as the background
 * passes do, so none of those runs beside it (a window the background took first is skipped).
 */
async function steadyPollerPass(poller: HostPollerService, zone: ZoneProcess): Promise<PipelineBenchResult['pollerPass']> {
  for (let attempt = 0; attempt < 20; attempt++) {
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 20));
    await zone.clearCalls();
    if ((await poller.pollAll()).length === 0) continue;
    const calls = await zone.calls();
    const byCommand: Record<string, number> = {};
    for (const { command } of calls) byCommand[command] = (byCommand[command] ?? 0) + 1;
    return { total: calls.length, byCommand };
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
