import type { RecordedCall } from '../../apps/simulator/src/cloudstack';
import type { HostStatusRecord } from '../../apps/api/src/hosts/host-status.types';
import type { RelabelRequest } from '../../apps/api/src/relabels/relabel-rollout.types';
import type { RolloutView } from '../../apps/api/src/relabels/relabels.service';
import { PipelineHarness, type PipelineOptions } from './pipeline-harness';

export type { RelabelRequest, RolloutView };

export const MAINTENANCE_STATES = new Set(['PrepareForMaintenance', 'Maintenance', 'ErrorInMaintenance', 'ErrorInPrepareForMaintenance']);

/** Calls that take a host out (maintenance, Disable) and bring it back (cancel, Enable). */
const takesOut = (c: RecordedCall) => c.command === 'prepareHostForMaintenance' || (c.command === 'updateHost' && c.params['allocationstate'] === 'Disable');
const bringsBack = (c: RecordedCall) => c.command === 'cancelHostMaintenance' || (c.command === 'updateHost' && c.params['allocationstate'] === 'Enable');

/**
 * Relabel rollouts on a PipelineHarness's simulated zone: planned and driven through the API, read back
 * from the API (the rollout record, each host's run history) and from the simulator (its CloudStack call
 * log and state). Open vSwitch personas by default; Linux-bridge personas whose target renders the expand
 * layout (debian12, rocky9) are accepted once the normal pipeline configured them (ubuntu2204, netplan, is refused at plan time).
 */
export class RelabelRollouts {
  constructor(readonly h: PipelineHarness) {}

  /** A zone of `hosts` hosts (OVS personas unless `personas` says otherwise), each first configured and enabled by the normal pipeline. */
  static async start(options: PipelineOptions & { hosts: number }, enabledWithinMs = 120_000): Promise<RelabelRollouts> {
    const h = await PipelineHarness.start({ asyncJobDelayMs: 30, personas: ['centos7', 'ubuntu2404'], ...options });
    try {
      await h.until('every host enabled by the normal pipeline', async () => {
        const { body } = await h.request<HostStatusRecord[]>('GET', '/hosts');
        return body.length === options.hosts && body.every((s) => s.phase === 'enabled') ? body : undefined;
      }, enabledWithinMs);
    } catch (error) {
      await h.stop();
      throw error;
    }
    return new RelabelRollouts(h);
  }

  clusterOf(hostId: string): string {
    return this.h.zone.cloudstack.state.hosts.find((x) => x.id === hostId)?.clusterId ?? '';
  }

  nameOf(hostId: string): string {
    return this.h.zone.cloudstack.state.hosts.find((x) => x.id === hostId)?.name ?? hostId;
  }

  /** The zone's KVM label for a traffic type, as CloudStack holds it now. */
  label(trafficType: string): string | undefined {
    return this.h.zone.cloudstack.state.trafficTypes.find((t) => t.trafficType === trafficType)?.kvmNetworkLabel;
  }

  /** Mutating CloudStack calls the simulator received since `since`, in arrival order. */
  mutations(since: Date): RecordedCall[] {
    return this.h.zone.cloudstack.calls.mutations().filter((c) => c.at >= since);
  }

  /** Names of the hosts `command` was called for, in call order. */
  hostsOf(calls: RecordedCall[], command: string): string[] {
    return calls.filter((c) => c.command === command).map((c) => this.nameOf(c.params['id'] ?? ''));
  }

  /** The most hosts of one cluster out at once: between maintenance (or Disable) and its cancel (or Enable). */
  maxOutPerCluster(calls: RecordedCall[]): number {
    const out = new Map<string, Set<string>>();
    let most = 0;
    for (const c of calls) {
      const id = c.params['id'] ?? '';
      const set = out.get(this.clusterOf(id)) ?? new Set<string>();
      if (takesOut(c)) set.add(id);
      if (bringsBack(c)) set.delete(id);
      out.set(this.clusterOf(id), set);
      most = Math.max(most, set.size);
    }
    return most;
  }

  /** Relabel runs of `rolloutId` in the host's history, oldest first. */
  async runs(hostId: string, rolloutId: string): Promise<HostStatusRecord[]> {
    const view = await this.h.view(hostId);
    return (view?.history ?? []).filter((r) => r.relabel?.rolloutId === rolloutId).reverse();
  }

  /** Each relabel run of `rolloutId` on the host as `<layout> <phase it ended in>`, oldest run first. */
  async runOutcomes(hostId: string, rolloutId: string): Promise<string[]> {
    const latest = new Map<string, HostStatusRecord>();
    for (const run of await this.runs(hostId, rolloutId)) latest.set(run.runId ?? '', run);
    return [...latest.values()].map((run) => `${run.relabel!.layout} ${run.phase}`);
  }

  /** Layouts of the host's verified relabel runs of `rolloutId`, oldest first. */
  async verifiedLayouts(hostId: string, rolloutId: string): Promise<string[]> {
    return (await this.runs(hostId, rolloutId)).filter((r) => r.phase === 'verified' || r.phase === 'no-op').map((r) => r.relabel!.layout);
  }

  /** A relabel of Public (physnet2) to `newLabel`, requested by the e2e. */
  static publicTo(newLabel: string, strategy?: RelabelRequest['strategy']): RelabelRequest {
    return { zone: 'zone1', changes: [{ physicalNetwork: 'physnet2', trafficType: 'Public', newLabel }], ...(strategy ? { strategy } : {}), requestedBy: 'e2e' };
  }

  /** POST /relabels. */
  plan(body: RelabelRequest) {
    return this.h.request<RolloutView>('POST', '/relabels', body);
  }

  /** GET /relabels/:id. */
  async get(id: string): Promise<RolloutView> {
    return (await this.h.request<RolloutView>('GET', `/relabels/${id}`)).body;
  }

  /** Waits until the rollout is done or aborted; a timeout names where it stood. */
  async finished(id: string, timeoutMs = 240_000): Promise<RolloutView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const body = await this.get(id).catch(() => undefined); // an api being replaced does not answer
      if (body?.state === 'done' || body?.state === 'aborted') return body;
      if (Date.now() > deadline) {
        const hosts = Object.values(body?.hosts ?? {}).map((x) => `${x.hostName}: ${x.layout} ${JSON.stringify(x.current ?? null)}`);
        throw new Error(`rollout ${id} did not end: ${body?.state}/${body?.phase} ${body?.reason ?? ''} ${body?.lastError ?? ''}; ${hosts.join('; ')}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  stop(): Promise<void> {
    return this.h.stop();
  }
}
