import { Injectable, Logger } from '@nestjs/common';
import type { KvmHost, ZoneNetworkTopology } from '@hostnet/cloudstack';
import type { ConfigureHostJobData, RunAllocation } from '@hostnet/contracts';
import { HostSpecService, TopologyCache, withPendingHost } from '@hostnet/host-spec';
import { HostTriggerService } from '../triggers/host-trigger.service';

/** Whether the spec a verified run applied is still the host's spec in CloudStack. */
export type ResultSpecVerdict =
  /** `host`: the host as that read found it (state, allocation), read after the result arrived. */
  | { current: true; host: KvmHost }
  | { current: false; reason: string; rerun?: { topology: ZoneNetworkTopology; host: KvmHost } };

/**
 * api's re-check of a verified run before enabling: the spec is derived again from the zone as read
 * after the result arrived. A spec that changed while the run was under way (a label renamed, a
 * profile edited) is not enabled; the host is re-run once for the spec CloudStack has now.
 */
@Injectable()
export class ResultSpecCheck {
  private readonly logger = new Logger(ResultSpecCheck.name);

  constructor(
    private readonly topologies: TopologyCache,
    private readonly specs: HostSpecService,
    private readonly triggers: HostTriggerService,
  ) {}

  /** `sinceMs`: when api took the result; CloudStack is read no earlier (CloudStack errors are thrown, to retry). */
  async check(request: ConfigureHostJobData, sinceMs: number): Promise<ResultSpecVerdict> {
    const zone = await this.topologies.readSince(request.zoneId, sinceMs);
    const { topology, host } = request.pendingHost
      ? withPendingHost(zone, request.pendingHost)
      : { topology: zone, host: zone.hosts.find((h) => h.id === request.hostId) };
    if (!host) return { current: false, reason: `host ${request.hostId} is no longer in zone ${request.zoneId}` };
    let specHash: string;
    try {
      specHash = this.specs.specFor(topology, host.id).specHash;
    } catch (error) {
      // The re-run records why the spec cannot be derived, as any trigger does.
      return { current: false, reason: `the host's spec cannot be derived now: ${(error as Error).message}`, rerun: { topology, host } };
    }
    if (specHash === request.specHash) return { current: true, host };
    return { current: false, reason: `CloudStack changed during the run (applied spec ${short(request.specHash)}, current spec ${short(specHash)})`, rerun: { topology, host } };
  }

  /**
   * Enqueues the host again (same mode, force and requester), marked as the re-run of `runId` so it is re-run at
   * most once; `allocation` is api's record of that run's allocation, which the re-run keeps.
   */
  async rerun(request: ConfigureHostJobData, runId: string, verdict: Extract<ResultSpecVerdict, { current: false }>, allocation?: RunAllocation): Promise<void> {
    if (!verdict.rerun) return;
    const { topology, host } = verdict.rerun;
    const trigger = { ...request.trigger, detail: `re-run of ${runId}: ${verdict.reason}` };
    try {
      const result = await this.triggers.triggerInTopology(topology, host, { mode: request.mode, force: request.force, trigger, rerunOf: runId, ...(allocation ? { rerunAllocation: allocation } : {}) }, request.pendingHost);
      this.logger.log(`re-run hostId=${request.hostId} of run ${runId}: ${result.enqueued ? `run ${result.runId ?? ''}` : `not enqueued (${result.skipped ?? 'joined'})`}`);
    } catch (error) {
      // The host stays Disabled with the reason recorded; the poller applies its new spec on its next pass.
      this.logger.warn(`re-run of hostId=${request.hostId} after run ${runId} could not be enqueued: ${(error as Error).message}`);
    }
  }
}

function short(hash: string): string {
  return hash.slice(0, 12);
}
