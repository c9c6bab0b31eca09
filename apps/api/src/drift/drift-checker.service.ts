import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { KvmHost, ZoneNetworkTopology } from '@hostnet/cloudstack';
import { asBackgroundWork, HOSTNET_CONFIG } from '@hostnet/platform';
import { TopologyCache } from '@hostnet/host-spec';
import type { ApiConfig } from '../api-config';
import { HostStatusRepository } from '../hosts/host-status.repository';
import { HostRunRegistry, type InFlightRun } from '../runs/host-run.registry';
import { InFlightRunChecker } from '../runs/in-flight-run.checker';
import { WatchedZones } from '../poller/watched-zones';
import { HostTriggerService } from '../triggers/host-trigger.service';
import { assertDriftReadOnly } from './drift-result';
import { selectForDrift, type DriftCandidate } from './drift-selection';

/** Passes run at least this often, so a long interval still spreads its checks over many passes. */
const MAX_PASS_MS = 60_000;

export interface DriftPassSummary {
  /** Host ids a drift check was started for. */
  started: string[];
  /** Drift checks in flight when the pass began. */
  inFlight: number;
  /** Due hosts left for a later pass by the caps. */
  deferred: number;
  /** Hosts the trigger refused (relabel hold, spec it could not derive), with why. */
  skipped: { hostId: string; reason: string }[];
}

/**
 * The periodic read-only drift check: every pass, Enabled+Up KVM hosts whose last completed run is
 * older than DRIFT_INTERVAL_MS get a dry-run (one facts round trip, nothing changed) with trigger
 * kind `drift`; its result marks the host drifted or clears it (drift-result.ts). Bounded by
 * DRIFT_MAX_IN_FLIGHT and DRIFT_MAX_PER_PASS; one replica runs each pass.
 */
@Injectable()
export class DriftCheckerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DriftCheckerService.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = false;

  constructor(
    @Inject(HOSTNET_CONFIG) private readonly config: ApiConfig,
    private readonly watched: WatchedZones,
    private readonly topologies: TopologyCache,
    private readonly statuses: HostStatusRepository,
    private readonly runs: HostRunRegistry,
    private readonly runChecker: InFlightRunChecker,
    private readonly triggers: HostTriggerService,
  ) {}

  onApplicationBootstrap(): void {
    const interval = this.config.DRIFT_INTERVAL_MS;
    if (interval === 0) return this.logger.log('drift checks disabled (DRIFT_INTERVAL_MS=0)');
    const every = passEveryMs(interval);
    const tick = () => {
      this.running = this.claimedPass(every)
        .catch((e: Error) => this.logger.warn(`drift pass failed: ${e.message}`))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, every);
        });
    };
    this.timer = asBackgroundWork(() => setTimeout(tick, every));
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** A pass, unless another replica took this pass window already. */
  private async claimedPass(everyMs: number): Promise<DriftPassSummary | undefined> {
    const window = Math.floor(Date.now() / everyMs);
    if (!(await this.statuses.claimOnce(`drift-${window}`, Math.max(1, Math.ceil(everyMs / 1000))))) return undefined;
    return this.checkAll();
  }

  /** One pass over every watched zone; `intervalMs` overrides DRIFT_INTERVAL_MS (how old a check may get). */
  async checkAll(options: { intervalMs?: number } = {}): Promise<DriftPassSummary> {
    const intervalMs = options.intervalMs ?? this.config.DRIFT_INTERVAL_MS;
    const zones: { zone: string; topology: ZoneNetworkTopology; hostsOnly: boolean; candidates: DriftCandidate[] }[] = [];
    for (const zone of await this.watched.ids()) {
      const { topology, hostsOnly } = await this.topologies.withFreshHosts(zone);
      const ids = topology.hosts.map((h) => h.id);
      const [latest, runs] = await Promise.all([this.statuses.latestMany(ids), this.runs.currentMany(ids)]);
      const candidates = await Promise.all(topology.hosts.map(async (host, i) => ({ host, latest: latest[i], run: await this.live(runs[i]) })));
      zones.push({ zone, topology, hostsOnly, candidates });
    }
    const selection = selectForDrift(
      zones.flatMap((z) => z.candidates),
      { nowMs: Date.now(), intervalMs, maxInFlight: this.config.DRIFT_MAX_IN_FLIGHT, maxPerPass: this.config.DRIFT_MAX_PER_PASS },
    );
    const summary: DriftPassSummary = { started: [], inFlight: selection.inFlight, deferred: selection.deferred, skipped: [] };
    const chosen = new Set(selection.due.map((h) => h.id));
    for (const { zone, topology: listed, hostsOnly, candidates } of zones) {
      if (!candidates.some(({ host }) => chosen.has(host.id))) continue;
      // A check compares the host with the zone as CloudStack has it now, labels included, not the kept part.
      const topology = hostsOnly ? await this.topologies.get(zone, { fresh: true }) : listed;
      for (const host of topology.hosts) {
        if (chosen.has(host.id)) await this.check(topology, host, summary);
      }
    }
    if (summary.started.length > 0 || summary.deferred > 0) {
      this.logger.log(`drift pass: started ${summary.started.length}, in flight before ${summary.inFlight}, deferred ${summary.deferred}`);
    }
    return summary;
  }

  private async check(topology: ZoneNetworkTopology, host: KvmHost, summary: DriftPassSummary): Promise<void> {
    const options = { mode: 'dry-run' as const, force: false, trigger: { kind: 'drift' as const, detail: 'periodic drift check' } };
    assertDriftReadOnly({ ...options, hostId: host.id });
    const result = await this.triggers.triggerInTopology(topology, host, options);
    if (result.enqueued) summary.started.push(host.id);
    else summary.skipped.push({ hostId: host.id, reason: result.skipped ?? `joined run ${result.runId ?? ''}` });
  }

  /**
   * The run in flight, or undefined when it was lost (no job, no pending result): a lost drift check
   * would otherwise hold a slot of DRIFT_MAX_IN_FLIGHT forever. A lost run is left for the next
   * trigger to replace (as the enqueuer does), not released here.
   */
  private async live(run: InFlightRun | undefined): Promise<InFlightRun | undefined> {
    if (!run || run.trigger !== 'drift') return run;
    return (await this.runChecker.stillInFlight(run)) ? run : undefined;
  }
}

export function passEveryMs(intervalMs: number): number {
  return Math.max(1000, Math.min(intervalMs, MAX_PASS_MS));
}
