import { Injectable, Logger } from '@nestjs/common';
import type { JobTrigger } from '@hostnet/contracts';
import { HostSpecService, pendingHostId, TopologyCache } from '@hostnet/host-spec';
import { HostTriggerService, TargetNotFoundError, type HostTriggerResult } from '../triggers/host-trigger.service';
import { HostStatusRepository } from '../hosts/host-status.repository';
import { AddHostCredentialsStore } from './add-host-credentials.store';
import { pendingAddClash, runningAddMessage } from './pending-add.clash';
import { addHostRefusal, AddHostRefusedError } from './add-host.refusal';
import type { AddHostRequest } from './add-host.request';

/** Raised when the new host clashes with one CloudStack already has, or with another add of its name still running. */
export class HostAlreadyExistsError extends Error {
  override readonly name = 'HostAlreadyExistsError';
}

/**
 * Add-host orchestration in the order CloudStack needs: configure the new host's network first
 * (addHost fails with "Can not find network" otherwise), then addHost Disabled, then enable it once
 * verified. This service starts the first step; HostResultsService does the other two.
 */
@Injectable()
export class AddHostService {
  private readonly logger = new Logger(AddHostService.name);

  constructor(
    private readonly topologies: TopologyCache,
    private readonly triggers: HostTriggerService,
    private readonly credentials: AddHostCredentialsStore,
    private readonly specs: HostSpecService,
    private readonly statuses: HostStatusRepository,
  ) {}

  async add(request: AddHostRequest, trigger: JobTrigger): Promise<HostTriggerResult> {
    const topology = await this.topologies.get(request.zoneId, { fresh: true });
    const pod = topology.pods.find((p) => p.id === request.podId || p.name === request.podId);
    if (!pod) throw new TargetNotFoundError(`pod ${request.podId} is not in zone ${topology.zone.name}`);
    const cluster = topology.clusters.find((c) => (c.id === request.clusterId || c.name === request.clusterId) && c.podId === pod.id);
    if (!cluster) throw new TargetNotFoundError(`cluster ${request.clusterId} is not in pod ${pod.name}`);
    const clash = topology.hosts.find((h) => h.ipAddress === request.ipAddress || h.name === request.name);
    if (clash) throw new HostAlreadyExistsError(`CloudStack already has host ${clash.name} (${clash.ipAddress}); configure it with POST /hosts/${clash.id}/configure`);

    const pending = { name: request.name, ipAddress: request.ipAddress, podId: pod.id, clusterId: cluster.id };
    // Refused before any record: a request wrong as sent leaves no failed pending-<ip> record behind (one stays
    // until the add is sent again or it expires: PENDING_RECORD_TTL_SECONDS).
    const refusal = addHostRefusal(topology, pending, pod, this.specs);
    if (refusal) throw new AddHostRefusedError(`host ${request.name} not added, nothing recorded: ${refusal}`);
    const other = pendingAddClash(await this.statuses.all(), request.name, request.ipAddress);
    if (other && 'running' in other) throw new HostAlreadyExistsError(runningAddMessage(request.name, request.ipAddress, other.running));
    this.credentials.put(pendingHostId(request.ipAddress), { username: request.username, password: request.password });
    const result = await this.triggers.triggerPendingHost(topology, pending, { mode: 'apply', force: false, trigger });
    // the failed add of another address under this name is replaced by this one, as one of the same address is
    if (other && result.skipped === undefined) {
      for (const failed of other.failed) {
        await this.statuses.discardAddRecord(failed.hostId);
        this.logger.log(`discarded add record ${failed.hostId} of ${request.name}: replaced by the add of ${request.ipAddress}`);
      }
    }
    return result;
  }
}
