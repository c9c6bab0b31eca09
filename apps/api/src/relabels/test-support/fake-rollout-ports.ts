import { CloudStackApiError, CloudStackAsyncTimeoutError, CloudStackNetworkError, type AsyncJobStatus, type HostAllocationAction, type KvmHost, type TrafficType, type ZoneNetworkTopology } from '@hostnet/cloudstack';
import type { HostSeen, HostStepOutcome, HostStepRequest, HostStepRun, RelabelCloudStackPort, RelabelHostStepPort } from '../relabel-ports';
import type { RelabelRollout, RolloutHost } from '../relabel-rollout.types';

/** One call the fake CloudStack saw, in order. */
export interface FakeCall {
  command: string;
  id: string;
  arg?: string;
  at: number;
}

/** CloudStack as far as a rollout uses it: hosts' states, labels, maintenance; scripted failures. */
export class FakeCloudStack implements RelabelCloudStackPort {
  readonly calls: FakeCall[] = [];
  readonly labels = new Map<string, string>();
  /** Traffic type id → its physical network and type, for listTrafficTypes. */
  private readonly trafficTypes = new Map<string, Omit<TrafficType, 'kvmNetworkLabel'>>();
  readonly hosts = new Map<string, KvmHost>();
  readonly vms = new Map<string, number>();
  /** Host ids whose next prepareHostForMaintenance fails (ErrorInMaintenance). */
  readonly failMaintenance = new Set<string>();
  /**
   * `<hostId>:<Enable|Disable>` whose next updateHost fails: `refused` changes nothing, `lost` changes the
   * host and then fails as if the answer was lost (a restart right after CloudStack took it looks the same);
   * `unanswered` changes the host and fails as our client reports a reset connection (CloudStackNetworkError).
   */
  readonly allocationFaults = new Map<string, 'refused' | 'lost' | 'unanswered'>();
  /**
   * Host id → where the host goes after its prepareHostForMaintenance job answered (PrepareForMaintenance, as
   * CloudStack answers it): by default Maintenance on the next read; `ErrorInPrepareForMaintenance` (a VM
   * that could not migrate), or `stuck` (it stays PrepareForMaintenance).
   */
  readonly afterPrepare = new Map<string, 'ErrorInPrepareForMaintenance' | 'stuck'>();
  /** Host id → which of its cancelHostMaintenance calls (1 = its first) fails, once. */
  readonly failCancelAt = new Map<string, number>();
  /** Host ids whose next cancelHostMaintenance CloudStack carries out without our client getting the answer. */
  readonly unansweredCancel = new Set<string>();
  /** Host ids whose next listVirtualMachines fails (a CloudStack hiccup). */
  readonly failVmCount = new Set<string>();
  private readonly cancels = new Map<string, number>();

  constructor(topology: ZoneNetworkTopology) {
    for (const h of topology.hosts) this.hosts.set(h.id, { ...h });
    for (const n of topology.physicalNetworks) {
      for (const t of n.trafficTypes) {
        this.labels.set(t.id, t.kvmNetworkLabel ?? '');
        this.trafficTypes.set(t.id, { id: t.id, trafficType: t.trafficType, physicalNetworkId: n.id });
      }
    }
  }

  private log(command: string, id: string, arg?: string): void {
    this.calls.push({ command, id, ...(arg !== undefined ? { arg } : {}), at: Date.now() });
  }

  private host(id: string): KvmHost {
    const host = this.hosts.get(id);
    if (!host) throw new Error(`no host ${id}`);
    return host;
  }

  /** Host id → how many of its next listHosts reads fail (a CloudStack hiccup). */
  readonly failReads = new Map<string, number>();

  async listHosts({ id, zoneId }: { id?: string; zoneId?: string }): Promise<KvmHost[]> {
    if (id === undefined) return [...this.hosts.values()].filter((h) => h.zoneId === zoneId).map((h) => ({ ...h }));
    const failing = this.failReads.get(id) ?? 0;
    if (failing > 0) {
      this.failReads.set(id, failing - 1);
      throw new Error(`listHosts ${id}: socket hang up`);
    }
    return this.hosts.has(id) ? [{ ...this.host(id) }] : [];
  }

  async countRunningVms(hostId: string): Promise<number> {
    this.log('listVirtualMachines', hostId);
    if (this.failVmCount.delete(hostId)) throw new Error('CloudStack 530: listVirtualMachines failed');
    return this.vms.get(hostId) ?? 0;
  }

  /**
   * Labels whose next updateTrafficType times out in our client (CloudStackAsyncTimeoutError) while its job
   * stays pending: the job sets the label only when `endJob` is called.
   */
  readonly slowFlips = new Set<string>();
  /** Labels whose next updateTrafficType CloudStack answers and does not carry out (a lost write). */
  readonly ignoredFlips = new Set<string>();
  private readonly jobs = new Map<string, { status: 'pending' | 'succeeded'; finish: () => void }>();

  async updateTrafficTypeLabel(trafficTypeId: string, label: string): Promise<unknown> {
    this.log('updateTrafficType', trafficTypeId, label);
    await tick();
    if (this.slowFlips.delete(label)) {
      const jobId = `job-${this.jobs.size + 1}`;
      const job = { status: 'pending' as 'pending' | 'succeeded', finish: () => ((job.status = 'succeeded'), this.labels.set(trafficTypeId, label)) };
      this.jobs.set(jobId, job);
      throw new CloudStackAsyncTimeoutError(jobId, 'updateTrafficType', { id: trafficTypeId, kvmnetworklabel: label }, 600_000);
    }
    if (this.ignoredFlips.delete(label)) return {};
    this.labels.set(trafficTypeId, label);
    return {};
  }

  /** The pending job ends: CloudStack carries out the update it was for. */
  endJob(jobId: string): void {
    this.jobs.get(jobId)!.finish();
  }

  async asyncJobStatus(jobId: string): Promise<AsyncJobStatus> {
    this.log('queryAsyncJobResult', jobId);
    const job = this.jobs.get(jobId);
    if (!job) throw new CloudStackApiError({ command: 'queryAsyncJobResult', params: { jobid: jobId }, httpStatus: 431, errorCode: 431, errorText: `Unable to execute API command queryasyncjobresult due to invalid value. Invalid parameter jobid value=${jobId} due to incorrect long value format, or entity does not exist` });
    return job.status;
  }

  async listTrafficTypes(physicalNetworkId: string): Promise<TrafficType[]> {
    this.log('listTrafficTypes', physicalNetworkId);
    return [...this.trafficTypes.values()]
      .filter((t) => t.physicalNetworkId === physicalNetworkId)
      .map((t) => ({ ...t, kvmNetworkLabel: this.labels.get(t.id) || null }));
  }

  async updateHostAllocation(hostId: string, action: HostAllocationAction): Promise<KvmHost> {
    this.log('updateHost', hostId, action);
    const host = this.host(hostId);
    const fault = this.allocationFaults.get(`${hostId}:${action}`);
    this.allocationFaults.delete(`${hostId}:${action}`);
    if (fault === 'refused') throw new Error(`updateHost ${action} of ${host.name} refused`);
    host.resourceState = action === 'Enable' ? 'Enabled' : 'Disabled';
    if (fault === 'lost') throw new Error(`socket hang up (updateHost ${action} of ${host.name})`);
    if (fault === 'unanswered') throw unanswered('updateHost', { id: hostId, allocationstate: action });
    return { ...host };
  }

  async prepareHostForMaintenance(hostId: string): Promise<KvmHost> {
    this.log('prepareHostForMaintenance', hostId);
    const host = this.host(hostId);
    host.resourceState = 'PrepareForMaintenance';
    await tick();
    if (this.failMaintenance.delete(hostId)) {
      host.resourceState = 'ErrorInMaintenance';
      throw new Error(`async job failed: MaintainCommand failed on ${host.name}`);
    }
    const after = this.afterPrepare.get(hostId);
    host.resourceState = after === 'stuck' ? 'PrepareForMaintenance' : (after ?? 'Maintenance');
    return { ...host, resourceState: 'PrepareForMaintenance' };
  }

  async cancelHostMaintenance(hostId: string): Promise<KvmHost> {
    this.log('cancelHostMaintenance', hostId);
    await tick();
    const host = this.host(hostId);
    const nth = (this.cancels.get(hostId) ?? 0) + 1;
    this.cancels.set(hostId, nth);
    if (this.failCancelAt.get(hostId) === nth) throw new Error(`async job failed: CancelMaintenance failed on ${host.name}`);
    host.resourceState = 'Enabled';
    if (this.unansweredCancel.delete(hostId)) throw unanswered('cancelHostMaintenance', { id: hostId });
    return { ...host };
  }

  /** The host's CloudStack calls, as `command[:arg]`, in order. */
  callsOf(hostId: string): string[] {
    return this.calls.filter((c) => c.id === hostId).map((c) => (c.arg ? `${c.command}:${c.arg}` : c.command));
  }

  /** Hosts of `clusterOf(host)` in a maintenance state, at each call: the most at once per cluster. */
  maxInMaintenancePerCluster(clusterOf: (hostId: string) => string): Map<string, number> {
    const inside = new Map<string, Set<string>>();
    const most = new Map<string, number>();
    for (const c of this.calls) {
      const cluster = clusterOf(c.id);
      const set = inside.get(cluster) ?? new Set<string>();
      if (c.command === 'prepareHostForMaintenance') set.add(c.id);
      if (c.command === 'cancelHostMaintenance') set.delete(c.id);
      inside.set(cluster, set);
      most.set(cluster, Math.max(most.get(cluster) ?? 0, set.size));
    }
    return most;
  }
}

/** A started step as the fake saw it. */
export interface FakeRun {
  runId: string;
  hostId: string;
  hostName: string;
  purpose: string;
  layout: string;
  restartAgent: boolean;
  rolloutId: string;
  done?: HostStepOutcome;
}

/**
 * Host steps without a worker: each run ends after `durationMs` with the outcome `decide` gives (verified
 * by default). Nothing is reported for a run until it ended, as with the real results path.
 */
export class FakeHostSteps implements RelabelHostStepPort {
  readonly runs: FakeRun[] = [];
  durationMs = 20;
  decide: (run: FakeRun) => HostStepOutcome = () => ({ ok: true, runStatus: 'applied' });
  private counter = 0;

  async start(rollout: RelabelRollout, host: RolloutHost, step: HostStepRequest, claimed: (run: HostStepRun) => Promise<void>): Promise<HostStepRun> {
    const run: FakeRun = { runId: `run-${++this.counter}-${host.hostName}`, hostId: host.hostId, hostName: host.hostName, ...step, rolloutId: rollout.id };
    await claimed({ runId: run.runId, jobId: `host-${host.hostId}` });
    this.runs.push(run);
    setTimeout(() => (run.done = this.decide(run)), this.durationMs);
    return { runId: run.runId, jobId: `host-${host.hostId}` };
  }

  async outcome(_hostId: string, runId: string): Promise<HostStepOutcome | undefined> {
    return this.runs.find((r) => r.runId === runId)?.done;
  }

  async inFlight(): Promise<boolean> {
    return false;
  }

  /** Hosts seen back after a verified step, in order: `runId` and what the rollout saw. */
  readonly settledRuns: { hostId: string; runId: string; seen: HostSeen }[] = [];

  async settled(hostId: string, runId: string, seen: HostSeen): Promise<void> {
    this.settledRuns.push({ hostId, runId, seen: { state: seen.state, resourceState: seen.resourceState } });
  }

  /** Layouts each host ran, in order. */
  layoutsOf(hostName: string): string[] {
    return this.runs.filter((r) => r.hostName === hostName).map((r) => r.layout);
  }
}

/** A mutation whose answer never came back: what our client throws on a reset connection. */
function unanswered(command: string, params: Record<string, string>): CloudStackNetworkError {
  return new CloudStackNetworkError({ command, params, timedOut: false, code: 'ECONNRESET', message: `socket hang up (${command})` });
}

function tick(): Promise<void> {
  return new Promise((r) => setTimeout(r, 2));
}
