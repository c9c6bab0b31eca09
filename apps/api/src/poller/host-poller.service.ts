import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { KvmHost, ZoneNetworkTopology } from '@hostnet/cloudstack';
import { asBackgroundWork, HOSTNET_CONFIG } from '@hostnet/platform';
import { HostSpecService, TopologyCache, type HostSpec } from '@hostnet/host-spec';
import type { ApiConfig } from '../api-config';
import { HostStatusRepository } from '../hosts/host-status.repository';
import { HostTriggerService } from '../triggers/host-trigger.service';
import type { HostStatusBrief } from '../hosts/host-status.types';
import { EnabledByCloudStackRecorder } from './enabled-by-cloudstack.recorder';
import { decideForHost, type HostDecision } from './host-selection';
import { WatchedZones } from './watched-zones';
import { EnabledSightings } from '../runs/enabled-sightings';
import { LostRunFinder, type LostRun } from './lost-runs';

/** Phases of a host whose run may still be waiting for its enable. */
const RUN_UNDER_WAY = new Set(['queued', 'applying', 'verified']);

/** Hosts triggered at once within one zone's pass. */
const TRIGGER_BATCH = 25;

export interface PollSummary {
  zone: string;
  hosts: number;
  enqueued: string[];
  skipped: number;
}

/**
 * CloudStack emits no host-added event, so new hosts are found by listing each zone's KVM hosts
 * on an interval. Safe with restarts and replicas: each zone's tick is claimed once in Redis, the
 * per-host job id dedupes what is already queued, and decisions rest on the durable host status.
 */
@Injectable()
export class HostPollerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(HostPollerService.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = false;

  constructor(
    @Inject(HOSTNET_CONFIG) private readonly config: ApiConfig,
    private readonly watched: WatchedZones,
    private readonly topologies: TopologyCache,
    private readonly specs: HostSpecService,
    private readonly statuses: HostStatusRepository,
    private readonly triggers: HostTriggerService,
    private readonly enabledByCloudStack: EnabledByCloudStackRecorder,
    private readonly sightings: EnabledSightings,
    private readonly lostRuns: LostRunFinder,
  ) {}

  onApplicationBootstrap(): void {
    const interval = this.config.POLL_INTERVAL_MS;
    if (interval === 0) return this.logger.log('poller disabled (POLL_INTERVAL_MS=0)');
    // The next pass is scheduled when this one ends, so a slow zone never overlaps itself.
    const tick = () => {
      this.running = this.pollAll()
        .catch((e: Error) => this.logger.warn(`poll failed: ${e.message}`))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, interval);
        });
    };
    asBackgroundWork(tick);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One pass over every watched zone; each zone is claimed so only one replica polls it per tick. */
  async pollAll(): Promise<PollSummary[]> {
    const zones = await this.watched.ids();
    const summaries: PollSummary[] = [];
    const window = Math.floor(Date.now() / Math.max(this.config.POLL_INTERVAL_MS, 1000));
    for (const zone of zones) {
      const ttl = Math.max(1, Math.ceil(this.config.POLL_INTERVAL_MS / 1000));
      if (!(await this.statuses.claimOnce(`poll-${zone}-${window}`, ttl))) continue;
      summaries.push(await this.pollZone(zone));
    }
    return summaries;
  }

  async pollZone(zone: string): Promise<PollSummary> {
    let listedAt = Date.now();
    // Between passes only hosts change: the rest of the zone is kept per CLOUDSTACK_TOPOLOGY_TTL_MS (a new host, pod or cluster re-reads it).
    let { topology, hostsOnly } = await this.topologies.withFreshHosts(zone);
    let { todo, skipped } = await this.decideAll(topology, listedAt);
    if (hostsOnly && todo.length > 0) {
      // A run is derived from the zone as CloudStack has it now (labels included), never from the kept part.
      listedAt = Date.now();
      topology = await this.topologies.get(zone, { fresh: true });
      ({ todo, skipped } = await this.decideAll(topology, listedAt));
    }
    const summary: PollSummary = { zone: topology.zone.name, hosts: topology.hosts.length, enqueued: [], skipped };
    const records = todo.filter((t): t is { host: KvmHost; decision: Extract<HostDecision, { action: 'record-enabled' }>; decidedOn: string } => t.decision.action === 'record-enabled');
    for (const { host, decision, decidedOn } of records) {
      if (await this.enabledByCloudStack.record(host.id, decidedOn, decision.reason)) this.logger.log(`zone ${summary.zone}: ${host.name} recorded enabled: ${decision.reason}`);
    }
    todo = todo.filter((t) => t.decision.action !== 'record-enabled');
    // Each trigger is a few Redis round trips; a zone of hundreds of new hosts should not wait on them one by one.
    for (let i = 0; i < todo.length; i += TRIGGER_BATCH) {
      const results = await Promise.all(
        todo.slice(i, i + TRIGGER_BATCH).map(({ host, decision, lost }) =>
          this.triggers.triggerInTopology(topology, host, {
            mode: decision.action as 'apply' | 'dry-run',
            force: false,
            trigger: { kind: 'poller', detail: decision.reason },
            // the enqueuer replaces the lost run; its re-run keeps that run's allocation (an operator's enable, a withheld one)
            ...(lost ? { replacesLost: { ...(lost.runId ? { runId: lost.runId } : {}), why: lost.why }, ...(lost.allocation ? { rerunAllocation: lost.allocation } : {}) } : {}),
          }),
        ),
      );
      summary.enqueued.push(...results.filter((r) => r.enqueued).map((r) => r.hostName));
    }
    if (summary.enqueued.length > 0) this.logger.log(`zone ${summary.zone}: enqueued ${summary.enqueued.join(', ')}`);
    return summary;
  }

  private async decideAll(topology: ZoneNetworkTopology, listedAt: number) {
    const statuses = await this.statuses.briefMany(topology.hosts.map((h) => h.id));
    // Noted with the time the listing was asked for: the host was Enabled at some moment after it, so a sighting
    // later than a run's start proves the host Enabled during that run (one stamped at the answer would not).
    await this.sightings.note(topology.hosts.filter((h, i) => h.resourceState === 'Enabled' && RUN_UNDER_WAY.has(statuses[i]?.phase ?? '')).map((h) => h.id), new Date(listedAt).toISOString());
    const todo: { host: KvmHost; decision: Exclude<HostDecision, { action: 'skip' }>; decidedOn: string; lost?: LostRun }[] = [];
    const inProgress: { host: KvmHost; hostId: string; latest: HostStatusBrief }[] = [];
    let skipped = 0;
    // every host's spec asked in this one synchronous loop: the memo serializes the rest of the zone once
    const specOf = this.specs.specsIn(topology);
    for (const [i, host] of topology.hosts.entries()) {
      const latest = statuses[i];
      // A status written after the listing (a job finished meanwhile) is newer than the host state
      // it would be compared with: decide on the next pass, with a fresh listing.
      const decision: HostDecision =
        latest && Date.parse(latest.at) > listedAt ? { action: 'skip', reason: 'status newer than the listing' } : this.decide(host, latest, specOf);
      if (decision.action === 'skip' && decision.inProgress && latest) inProgress.push({ host, hostId: host.id, latest });
      else if (decision.action === 'skip') skipped++;
      else todo.push({ host, decision, decidedOn: latest?.at ?? '' });
    }
    // "In progress" holds only while that run can still end: a lost one is triggered again, or nothing ever would.
    const lost = await this.lostRuns.find(inProgress);
    for (const { host, latest } of inProgress) {
      const found = lost.get(host.id);
      if (!found) {
        skipped++;
        continue;
      }
      const reason = `the earlier run${found.runId ? ` ${found.runId}` : ''} was lost (${found.why}); re-running the host`;
      this.logger.warn(`host ${host.name} (${host.id}): ${reason}`);
      todo.push({ host, decision: { action: 'apply', reason }, decidedOn: latest.at, lost: found });
    }
    return { todo, skipped };
  }

  private decide(host: KvmHost, latest: HostStatusBrief | undefined, specOf: (hostId: string) => HostSpec): HostDecision {
    try {
      return decideForHost(host, () => specOf(host.id).specHash, latest);
    } catch (error) {
      // An invalid spec is recorded once by the trigger; repeating it every pass would bury the history.
      if (latest?.phase === 'failed' && latest.reason === (error as Error).message) return { action: 'skip', reason: 'spec still invalid' };
      return { action: 'apply', reason: 'spec invalid: record why' };
    }
  }
}
