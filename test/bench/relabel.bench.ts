import type { RecordedCall } from '@hostnet/simulator/cloudstack';
import { SimulatedKvmHost } from '@hostnet/simulator/kvm-host';
import { HostStatusRepository } from '../../apps/api/src/hosts/host-status.repository';
import { DEFAULT_RUNNER_OPTIONS } from '../../apps/api/src/relabels/relabel-ports';
import type { RelabelRolloutStore } from '../../apps/api/src/relabels/relabel-rollout.store';
import type { RelabelRequest, RelabelRollout } from '../../apps/api/src/relabels/relabel-rollout.types';
import { RELABEL_STORE } from '../../apps/api/src/relabels/relabel-runner.service';
import type { RolloutView } from '../../apps/api/src/relabels/relabels.service';
import type { CleanupStack } from './cleanup-stack';
import { queueWaits, relabelCallFigures, relabelRolloutFigures, type RelabelCallFigures, type RelabelRolloutFigures } from './relabel-figures';
import { processCpuMs, processTreeCpuMs } from './proc-stat';
import { benchRelabelPlan, type RelabelPlanFigures } from './relabel-plan.bench';
import { RelabelZone, type RelabelZoneOptions } from './relabel-zone';

export interface RelabelBenchOptions extends RelabelZoneOptions {
  maxUnavailable: number | string;
}

/** Figures of `npm run bench -- --relabel` (the `relabel` key of --json). */
export interface RelabelBenchResult {
  hosts: number;
  clusters: number;
  workerConcurrency: number;
  /** Hosts the rollout runner expands (and switches) at once: api's default, not a bench choice. */
  runnerConcurrency: number;
  applyLatencyMs: number;
  change: string;
  strategy: Required<NonNullable<RelabelRequest['strategy']>>;
  setup: { zoneStartMs: number; enableAllMs: number };
  plan: RelabelPlanFigures;
  rollout: RelabelRolloutFigures;
  /** CloudStack calls the simulator received from start to the rollout's end (runner, poller, worker, enables). */
  cloudstack: RelabelCallFigures;
  /** What the simulated hosts saw from start to end, per host: SSH connections and exec requests (where the host-side time goes). */
  ssh: { connectionsPerHost: number; execsPerHost: number };
  /**
   * CPU used from start to end, ms: the worker process (hostnet), this process (api beside the CloudStack
   * simulator and the hosts' SSH servers) and the simulated hosts' commands (its children that ended).
   */
  cpuMs: { worker: number; apiAndSimulator: number; hostCommands: number };
  workerPeakRssMiB: number;
  /** The simulated zone's poller interval: each pass is one listHosts of the zone during the rollout too. */
  pollIntervalMs: number;
}

const CHANGE = { physicalNetwork: 'physnet2', trafficType: 'Public', newLabel: 'cloudbr5' };

/**
 * Relabels Public on N simulated OVS hosts through the API (plan, start, poll to the end) and measures the
 * plan against the in-process planner, the rollout against its waves × the per-host step time of the same
 * run, and the CloudStack calls per host. A rollout that ends other than done stops the bench at once.
 */
export async function runRelabelBench(opts: RelabelBenchOptions, cleanup: CleanupStack): Promise<RelabelBenchResult> {
  const zone = await RelabelZone.start(opts, cleanup);
  const strategy = { canary: 1, maxUnavailable: opts.maxUnavailable, abortAfter: 1, maintenance: 'required' as const };
  const request: RelabelRequest = { zone: zone.zone.cloudstack.state.zones[0]!.id, changes: [CHANGE], strategy, requestedBy: 'bench' };

  const { figures: plan, planned } = await benchRelabelPlan(zone, request);
  opts.log(`planned ${planned.plan.hostCount} hosts in ${planned.plan.waves.length} contract waves; POST /relabels median ${plan.postMedianMs.toFixed(0)} ms, planner alone ${plan.plannerMs.toFixed(1)} ms`);

  const hosts = [...zone.zone.hosts.values()];
  const sshTotals = () => hosts.reduce((t, h) => ({ connections: t.connections + h.stats.connections, execs: t.execs + h.stats.execs }), { connections: 0, execs: 0 });
  const sshBefore = sshTotals();
  const cpuBefore = await cpuNow(zone.worker.pid);
  zone.zone.cloudstack.calls.clear();
  const startMs = Date.now();
  await zone.request('POST', `/relabels/${planned.id}/start`, 202, { requestedBy: 'bench' });
  const ended = await untilDone(zone.api.get<RelabelRolloutStore>(RELABEL_STORE), planned.id, opts, startMs);
  const endMs = Date.parse(ended.endedAt ?? ended.updatedAt);
  const calls = zone.zone.cloudstack.calls.all().filter((c: RecordedCall) => c.at.getTime() <= endMs);
  const sshAfter = sshTotals();
  const cpuAfter = await cpuNow(zone.worker.pid);
  const view = await zone.request<RolloutView>('GET', `/relabels/${planned.id}`, 200);
  checkZoneRelabelled(zone, planned.plan.hostCount);
  const statuses = zone.api.get(HostStatusRepository);
  const waits = queueWaits(await Promise.all(Object.keys(view.hosts).map((hostId) => statuses.history(hostId, 50))));

  const parallelism = { runnerConcurrency: DEFAULT_RUNNER_OPTIONS.concurrency, workerConcurrency: opts.concurrency };
  const result: RelabelBenchResult = {
    hosts: opts.hosts,
    clusters: opts.clusters,
    ...parallelism,
    applyLatencyMs: opts.applyLatencyMs,
    change: `${CHANGE.trafficType} on ${CHANGE.physicalNetwork} → ${CHANGE.newLabel}`,
    strategy,
    setup: { zoneStartMs: zone.setupMs.zoneStart, enableAllMs: zone.setupMs.enableAll },
    plan,
    rollout: relabelRolloutFigures(view, startMs, parallelism, waits),
    cloudstack: relabelCallFigures(calls, planned.plan.hostCount, planned.plan.calls.length),
    ssh: { connectionsPerHost: (sshAfter.connections - sshBefore.connections) / hosts.length, execsPerHost: (sshAfter.execs - sshBefore.execs) / hosts.length },
    cpuMs: {
      worker: cpuAfter.worker - cpuBefore.worker,
      apiAndSimulator: cpuAfter.self - cpuAfter.standins - (cpuBefore.self - cpuBefore.standins),
      hostCommands: cpuAfter.selfTree - cpuAfter.self + cpuAfter.standins - (cpuBefore.selfTree - cpuBefore.self + cpuBefore.standins),
    },
    workerPeakRssMiB: zone.worker.peakRssMiB(),
    pollIntervalMs: Number(zone.zone.env['POLL_INTERVAL_MS']),
  };
  await cleanup.run();
  return result;
}

/** Polls the rollout's record (not the whole view: at 500 hosts that read would load api) until it is done. */
async function untilDone(store: RelabelRolloutStore, id: string, opts: RelabelBenchOptions, since: number): Promise<RelabelRollout> {
  let lastLog = Date.now();
  for (;;) {
    const r = await store.get(id);
    if (r.state === 'done') return r;
    if (r.state !== 'running') {
      const failed = r.failedHosts.map((h) => r.hosts[h]?.hostName ?? h).join(', ');
      throw new Error(`relabel rollout ${id} is ${r.state} in phase ${r.phase}, not completed: ${r.reason ?? 'no reason'}${failed ? `; failed hosts: ${failed}` : ''}${r.lastError ? `; last error: ${r.lastError}` : ''}`);
    }
    const elapsed = Date.now() - since;
    if (elapsed > opts.timeoutMs) throw new Error(`relabel rollout ${id} still ${r.state} in phase ${r.phase} after ${opts.timeoutMs / 1000} s: ${progress(r)}`);
    if (Date.now() - lastLog > 15_000) {
      opts.log(`  rollout: phase ${r.phase}, ${progress(r)}, after ${(elapsed / 1000).toFixed(0)} s${r.lastError ? ` (runner error, retried: ${r.lastError})` : ''}`);
      lastLog = Date.now();
    }
    await new Promise((res) => setTimeout(res, 500));
  }
}

function progress(r: RelabelRollout): string {
  const hosts = Object.values(r.hosts);
  const layout = (l: string) => hosts.filter((h) => h.layout === l).length;
  return `${layout('both')} hosts on both bridges, ${layout('new')} on the new one, ${hosts.filter((h) => h.current).length} in flight, of ${hosts.length}`;
}

/** The end as the simulator sees it, not only the rollout's account: the new label in CloudStack, every host Up and Enabled. */
function checkZoneRelabelled(zone: RelabelZone, hosts: number): void {
  const state = zone.zone.cloudstack.state;
  const label = state.trafficTypes.find((t) => t.trafficType === CHANGE.trafficType && t.kvmNetworkLabel === CHANGE.newLabel);
  if (!label) throw new Error(`the rollout says done but CloudStack's ${CHANGE.trafficType} label is not ${CHANGE.newLabel}`);
  const notBack = state.hosts.filter((h) => h.state !== 'Up' || h.resourceState !== 'Enabled');
  if (notBack.length > 0 || state.hosts.length !== hosts) {
    throw new Error(`the rollout says done but ${notBack.length} of ${state.hosts.length} hosts are not Up and Enabled: ${notBack.slice(0, 5).map((h) => `${h.name} ${h.state}/${h.resourceState}`).join(', ')}`);
  }
}

/** CPU so far, ms: the worker's, this process's (api + simulator), and with its waited-for children (the simulated hosts' commands). */
/** The hosts' commands: their shells (children of this process) and the stand-in server thread in this process. */
async function cpuNow(workerPid: number): Promise<{ worker: number; self: number; selfTree: number; standins: number }> {
  const standins = (await SimulatedKvmHost.standinCpuMs()) ?? 0;
  // the hosts' commands are the exec spawner's children: its tree is counted with this process's
  const spawner = SimulatedKvmHost.execSpawnerPid();
  const spawnerTree = spawner === undefined ? 0 : processTreeCpuMs(spawner);
  return { worker: processCpuMs(workerPid), self: processCpuMs(process.pid), selfTree: processTreeCpuMs(process.pid) + spawnerTree, standins };
}
