import type { AsyncJobStatus, HostAllocationAction, KvmHost } from '@hostnet/cloudstack';
import type { RelabelCloudStackPort } from './relabel-ports';
import type { RelabelRolloutStore } from './relabel-rollout.store';
import { RolloutRecordError } from './rollout-record-error';

/**
 * The rollout's CloudStack calls, each recorded in the rollout (command, parameters, result) before its
 * outcome is acted on. Parameters are ids and labels only: credentials live in the signed client. Every
 * mutation first asks `stillHeld` (the runner's lock), and is not sent when it throws.
 */
export class RecordingCloudStack {
  constructor(
    private readonly cloudstack: RelabelCloudStackPort,
    private readonly store: RelabelRolloutStore,
    private readonly rolloutId: string,
    private readonly stillHeld: () => Promise<void> = async () => undefined,
  ) {}

  async updateTrafficTypeLabel(trafficTypeId: string, label: string): Promise<unknown> {
    await this.stillHeld();
    return this.call('updateTrafficType', { id: trafficTypeId, kvmnetworklabel: label }, undefined, () => this.cloudstack.updateTrafficTypeLabel(trafficTypeId, label), () => `kvmnetworklabel=${label || '(unset)'}`);
  }

  /** The traffic type's kvmnetworklabel as CloudStack stores it now (null when unset, undefined when not listed). */
  trafficTypeLabel(physicalNetworkId: string, trafficTypeId: string): Promise<string | null | undefined> {
    return this.call(
      'listTrafficTypes',
      { physicalnetworkid: physicalNetworkId },
      undefined,
      async () => (await this.cloudstack.listTrafficTypes(physicalNetworkId)).find((t) => t.id === trafficTypeId)?.kvmNetworkLabel,
      (label) => (label === undefined ? `traffic type ${trafficTypeId} not listed` : `kvmnetworklabel=${label ?? '(unset)'}`),
    );
  }

  /** Whether the job a timed-out command named still runs in CloudStack. */
  asyncJobStatus(jobId: string): Promise<AsyncJobStatus> {
    return this.call('queryAsyncJobResult', { jobid: jobId }, undefined, () => this.cloudstack.asyncJobStatus(jobId), (status) => status);
  }

  /** Every KVM host CloudStack lists in the zone now. */
  zoneHosts(zoneId: string): Promise<KvmHost[]> {
    return this.call('listHosts', { zoneid: zoneId }, undefined, () => this.cloudstack.listHosts({ zoneId }), (hosts) => `${hosts.length} hosts`);
  }

  async updateHostAllocation(hostId: string, action: HostAllocationAction): Promise<KvmHost> {
    await this.stillHeld();
    return this.call('updateHost', { id: hostId, allocationstate: action }, hostId, () => this.cloudstack.updateHostAllocation(hostId, action), describeHost);
  }

  async prepareHostForMaintenance(hostId: string): Promise<KvmHost> {
    await this.stillHeld();
    return this.call('prepareHostForMaintenance', { id: hostId }, hostId, () => this.cloudstack.prepareHostForMaintenance(hostId), describeHost);
  }

  async cancelHostMaintenance(hostId: string): Promise<KvmHost> {
    await this.stillHeld();
    return this.call('cancelHostMaintenance', { id: hostId }, hostId, () => this.cloudstack.cancelHostMaintenance(hostId), describeHost);
  }

  countRunningVms(hostId: string): Promise<number> {
    return this.call('listVirtualMachines', { hostid: hostId, state: 'Running' }, hostId, () => this.cloudstack.countRunningVms(hostId), (n) => `${n} running`);
  }

  /** A read used for waiting; recorded by the caller once per wait, not per poll. */
  async host(hostId: string): Promise<KvmHost | undefined> {
    return (await this.cloudstack.listHosts({ id: hostId }))[0];
  }

  async recordWait(hostId: string, ok: boolean, result: string): Promise<void> {
    await this.store.recordCall(this.rolloutId, { command: 'listHosts', params: { id: hostId }, ok, result, hostId, at: new Date().toISOString() });
  }

  private async call<T>(command: string, params: Record<string, string>, hostId: string | undefined, fn: () => Promise<T>, describe: (value: T) => string): Promise<T> {
    const at = new Date().toISOString();
    const record = (ok: boolean, result: string) => this.store.recordCall(this.rolloutId, { command, params, ok, result, ...(hostId ? { hostId } : {}), at });
    // The call's outcome and its bookkeeping apart: a record that fails must never read as CloudStack's failure.
    let value: T;
    try {
      value = await fn();
    } catch (error) {
      await record(false, (error as Error).message).catch((cause: unknown) => {
        throw new RolloutRecordError(command, 'failed', cause);
      });
      throw error;
    }
    try {
      await record(true, describe(value));
    } catch (cause) {
      throw new RolloutRecordError(command, 'answered', cause);
    }
    return value;
  }
}

function describeHost(host: KvmHost): string {
  return `${host.state}/${host.resourceState}`;
}
