import { Injectable, Logger } from '@nestjs/common';
import type { KvmHost, ZoneNetworkTopology } from '@hostnet/cloudstack';
import type { JobTrigger, PendingHost, RunAllocation } from '@hostnet/contracts';
import { RelabelHolds } from '../relabels/relabel-holds';
import { HostSpecService, runHostOf, TopologyCache, withPendingHost, type HostSpec } from '@hostnet/host-spec';
import { HostStatusRepository } from '../hosts/host-status.repository';
import type { HostStatusRecord } from '../hosts/host-status.types';
import { HostJobEnqueuer } from '../jobs/host-job.enqueuer';
import { ClusterResolver } from './cluster-resolver';
import { HostResolver } from './host-resolver';
import { TargetNotFoundError } from './target-errors';
import { hostPlacement } from '../hosts/host-placement';
import { operatorHold } from '../poller/operator-hold';
import { rerunAllocation, runAllocation } from './run-allocation';
import { driftRecord } from '../drift/drift-result';
import { triggerInBatches } from './trigger-batches';

export { TargetNotFoundError } from './target-errors';

export interface TriggerOptions {
  mode: 'apply' | 'dry-run';
  force: boolean;
  trigger: JobTrigger;
  /** Set when api re-runs a host whose spec CloudStack changed during this run (see ConfigureHostJobData). */
  rerunOf?: string;
  /** An operator's ask to enable the host once verified even if someone chose to have it Disabled (run-allocation.ts). */
  enable?: boolean;
  /** With `rerunOf`: the allocation of the run re-run, which the re-run keeps (run-allocation.ts rerunAllocation). */
  rerunAllocation?: RunAllocation;
  /** Set by automatic triggers that decide nothing themselves (webhooks): a host an operator holds is skipped (operator-hold.ts). */
  respectHolds?: boolean;
  /**
   * Set by the poller for a host whose run was lost (apps/api/src/poller/lost-runs.ts): the run it re-runs, and why
   * it is lost. The run's `queued` record says so; with `rerunAllocation`, the re-run keeps the lost run's allocation.
   */
  replacesLost?: { runId?: string; why: string };
}

export interface HostTriggerResult {
  hostId: string;
  hostName: string;
  jobId?: string;
  /** The run this trigger started or joined (the results it produces name it). */
  runId?: string;
  enqueued: boolean;
  skipped?: string;
  /** Set with `skipped` when another run or a relabel rollout holds the host (409); a spec that cannot run is not (422). */
  conflict?: true;
  /** Set when a run of the same kind was already in flight: this request joined it, and says so. */
  joined?: string;
}

/**
 * Turns "configure this host / cluster / zone" into host jobs: derives each host's spec from the
 * current topology and the profiles (the one derivation the worker applies), records it as queued and
 * enqueues through the one facade.
 * An invalid spec is not enqueued: it is recorded as failed with the validation message.
 */
@Injectable()
export class HostTriggerService {
  private readonly logger = new Logger(HostTriggerService.name);

  constructor(
    private readonly topologies: TopologyCache,
    private readonly specs: HostSpecService,
    private readonly enqueuer: HostJobEnqueuer,
    private readonly statuses: HostStatusRepository,
    private readonly holds: RelabelHolds,
    private readonly clusters: ClusterResolver,
    private readonly hosts: HostResolver,
  ) {}

  /** A host by id or by name (a name in several zones is refused with the ids). */
  async triggerHost(hostIdOrName: string, options: TriggerOptions): Promise<HostTriggerResult> {
    const host = await this.hosts.resolve(hostIdOrName);
    const topology = await this.topologies.get(host.zoneId, { fresh: true });
    return this.triggerInTopology(topology, host, options);
  }

  /** A cluster by id or by any name CloudStack allows (ambiguous names are refused with the candidates). */
  async triggerCluster(clusterIdOrName: string, options: TriggerOptions): Promise<HostTriggerResult[]> {
    const cluster = await this.clusters.resolve(clusterIdOrName);
    const topology = await this.topologies.get(cluster.zoneId, { fresh: true });
    const hosts = topology.hosts.filter((h) => h.clusterId === cluster.id);
    if (hosts.length === 0) throw new TargetNotFoundError(`no KVM hosts in cluster ${JSON.stringify(cluster.name)} (${cluster.id})`);
    return this.triggerMany(topology, hosts, options);
  }

  async triggerZone(zoneIdOrName: string, options: TriggerOptions): Promise<HostTriggerResult[]> {
    const topology = await this.topologies.get(zoneIdOrName, { fresh: true });
    return this.triggerMany(topology, topology.hosts, options);
  }

  /** A host CloudStack does not know yet: configured as if it were in the zone (add-host). */
  triggerPendingHost(zone: ZoneNetworkTopology, pending: PendingHost, options: TriggerOptions): Promise<HostTriggerResult> {
    const { topology, host } = withPendingHost(zone, pending);
    return this.triggerInTopology(topology, host, options, pending);
  }

  /** For callers that already hold a fresh topology (the poller). */
  async triggerInTopology(
    topology: ZoneNetworkTopology,
    host: KvmHost,
    options: TriggerOptions,
    pendingHost?: PendingHost,
  ): Promise<HostTriggerResult> {
    const base = { hostId: host.id, hostName: host.name };
    const rollout = await this.holds.heldBy(host.id);
    if (rollout) {
      // Its layout is the rollout's until the rollout ends: a run derived from CloudStack alone could drop a bridge VMs still use.
      return { ...base, enqueued: false, skipped: `host is held by relabel rollout ${rollout} until it ends (GET /relabels/${rollout})`, conflict: true };
    }
    const zoneRollout = await this.holds.zoneHeldBy(topology.zone.id);
    if (zoneRollout) {
      // A host outside the rollout (one being added, above all) would get the label of the moment only, and no flip would wait for it.
      return { ...base, enqueued: false, skipped: `zone ${topology.zone.name} is being re-labelled by rollout ${zoneRollout}: no host of it is run or added until the rollout ends (GET /relabels/${zoneRollout})`, conflict: true };
    }
    let spec: HostSpec;
    try {
      spec = this.specs.specFor(topology, host.id);
      this.specs.lint.assertRunnable(topology, host.id); // the zone lint's errors for this host refuse the run, named in the reason
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const placed = { ...hostPlacement(host, topology), trigger: options.trigger };
      if (options.mode === 'dry-run' && options.trigger.kind !== 'drift') {
        // An operator's dry-run refused here is its latest word on the host, as one the worker refuses is: the host
        // keeps its phase, and the record says the dry-run did not complete and why (not an older clean dry-run).
        await this.statuses.record(driftRecord(placed, { status: 'failed', reason }, await this.statuses.latest(host.id), now(), 'dry-run', true));
      } else {
        await this.keep(options, { ...placed, phase: 'failed', reason, at: now() });
      }
      this.logger.warn(`not enqueued hostId=${host.id}: ${reason}`);
      return { ...base, enqueued: false, skipped: reason };
    }
    const { specHash } = spec;
    if (options.respectHolds) {
      const [latest] = await this.statuses.briefMany([host.id]);
      const hold = operatorHold(host, () => specHash, latest);
      if (hold) return { ...base, enqueued: false, skipped: hold };
    }
    const { enable, respectHolds: _respectHolds, rerunAllocation: original, replacesLost, ...jobOptions } = options;
    // The history is read only for a Disabled host: whether someone chose that is in its records.
    const history = options.mode === 'apply' && host.resourceState === 'Disabled' && !enable ? await this.statuses.history(host.id) : [];
    const fresh = options.mode === 'apply' ? runAllocation(host, history, enable === true) : undefined;
    const allocation = fresh && (options.rerunOf || replacesLost) ? rerunAllocation(original, fresh) : fresh;
    const request = { zoneId: host.zoneId, hostId: host.id, hostName: host.name, specHash, ...jobOptions, ...(allocation ? { allocation } : {}), ...(pendingHost ? { pendingHost } : {}) };
    const runSpec = { host: runHostOf(host), ...spec };
    // Queued is recorded before the worker can see the job, so it never lands after the run's result.
    // A run that replaces a lost one says so: without it, the history shows a run that never ended and then another.
    const queued = ({ runId, jobId }: { runId: string; jobId: string }, replaced?: { runId: string }) => {
      const lost = replaced ? { runId: replaced.runId, why: 'no configure job and no pending result were left to end it' } : replacesLost;
      const reason = lost ? `replaces run${lost.runId ? ` ${lost.runId}` : ''}, which was lost (${lost.why})` : undefined;
      return this.keep(options, { ...hostPlacement(host, topology), phase: 'queued', specHash, jobId, runId, trigger: options.trigger, ...(reason ? { reason } : {}), at: now() });
    };
    const { jobId, runId, enqueued, skipped, enableAsk } = await this.enqueuer.enqueue(request, runSpec, queued);
    // Its enable is the one thing a joining request brings to the run: said either way, never dropped silently.
    const asked = !enableAsk ? '' : enableAsk.recorded ? `; its enable was recorded on run ${runId}: once verified, hostnet enables the host` : `; its enable was not recorded on run ${runId}: ${enableAsk.why}`;
    const joined = !enqueued && !skipped && runId ? { joined: `${options.mode === 'apply' ? 'an apply' : 'a dry-run'} of this host (run ${runId}) was already queued or running: this request joined it as it is (its own force and requestedBy are not used)${asked}; GET /hosts/${host.id} shows its result` } : {};
    return { ...base, jobId, ...(runId ? { runId } : {}), enqueued, ...(skipped ? { skipped, conflict: true as const } : {}), ...joined };
  }

  /**
   * A dry-run's own bookkeeping (queued, a spec it could not derive; a drift check's or an operator's)
   * goes to the history only: the host still stands where its last run left it (enabled, failed, …), and
   * only the dry-run's result says more. A host hostnet has no record of stands nowhere yet: there it is the
   * first record, or a zone's plan would show nothing (and GET /hosts/:id "no record") until results came.
   */
  private keep(options: TriggerOptions, record: HostStatusRecord): Promise<void> {
    // marked, so a refused dry-run in the history never reads as a failed run of the host
    return options.mode === 'dry-run' || options.trigger.kind === 'drift' ? this.statuses.appendHistoryOrFirst({ ...record, dryRun: true }) : this.statuses.record(record);
  }

  /** Hosts of a cluster or zone, 25 at a time: each trigger is a few Redis round trips. */
  private triggerMany(topology: ZoneNetworkTopology, hosts: KvmHost[], options: TriggerOptions): Promise<HostTriggerResult[]> {
    return triggerInBatches(hosts, 25, (host) => this.triggerInTopology(topology, host, options));
  }
}

function now(): string {
  return new Date().toISOString();
}
