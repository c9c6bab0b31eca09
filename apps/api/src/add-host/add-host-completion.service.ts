import { Injectable, Logger } from '@nestjs/common';
import { CloudStackClient } from '@hostnet/cloudstack';
import type { ConfigureHostJobData, PendingHost } from '@hostnet/contracts';
import type { CloudStackCallRecord } from '../hosts/host-status.types';
import { HostEnableError, HostEnableService } from '../jobs/host-enable.service';
import { isPermanentError } from '@hostnet/contracts';
import { AddHostCredentialsStore } from './add-host-credentials.store';
import { addHostRetryable, HostAddError, RESEND_ADD } from './host-add.error';
import { HostLockLostError } from '../runs/host-lock';
import { RelabelHolds } from '../relabels/relabel-holds';

export interface AddedHost {
  hostId: string;
  calls: CloudStackCallRecord[];
}

/**
 * The second and third steps of add-host, once the new host's network is verified: addHost
 * (Disabled, so no VM lands before hostnet says so), then enable. Safe to retry: a host CloudStack
 * already lists at that address is not added twice.
 */
@Injectable()
export class AddHostCompletionService {
  private readonly logger = new Logger(AddHostCompletionService.name);

  constructor(
    private readonly cloudstack: CloudStackClient,
    private readonly credentials: AddHostCredentialsStore,
    private readonly enabler: HostEnableService,
    private readonly holds: RelabelHolds,
  ) {}

  /** `beforeMutation`: the handler's lease on the host (HostLease.assertHeld), asked before addHost and each enable call. */
  async complete(request: ConfigureHostJobData & { pendingHost: PendingHost }, beforeMutation: () => Promise<void> = async () => undefined): Promise<AddedHost> {
    const pending = request.pendingHost;
    const calls: CloudStackCallRecord[] = [];
    const existing = (await this.cloudstack.listHosts({ zoneId: request.zoneId })).find((h) => h.ipAddress === pending.ipAddress);
    let hostId = existing?.id;
    if (!hostId) {
      const rollout = await this.holds.zoneHeldBy(request.zoneId);
      if (rollout) {
        // Its network was verified against the labels before the rollout: added now, the flip would find it lacking the new bridge.
        throw new HostEnableError(new Error(`host ${pending.name} not added: its zone is being re-labelled by rollout ${rollout} (GET /relabels/${rollout}); send POST /hosts/add again once the rollout ended`), calls, true);
      }
      const credentials = this.credentials.take(request.hostId);
      if (!credentials) {
        throw new HostAddError(new Error('the addHost credentials are gone (api restarted or 2 h passed)'), calls, true, RESEND_ADD);
      }
      try {
        await beforeMutation();
      } catch (error) {
        this.credentials.put(request.hostId, credentials);
        throw error;
      }
      try {
        const added = await this.cloudstack.addHost({
          zoneId: request.zoneId,
          podId: pending.podId,
          clusterId: pending.clusterId,
          address: pending.ipAddress,
          username: credentials.username,
          password: credentials.password,
          allocationState: 'Disabled',
        });
        calls.push({ command: 'addHost', at: new Date().toISOString(), ok: true });
        hostId = added.id;
        this.logger.log(`added hostId=${hostId} name=${pending.name}`);
      } catch (error) {
        calls.push({ command: 'addHost', at: new Date().toISOString(), ok: false, error: (error as Error).message });
        const retryable = addHostRetryable(error);
        if (retryable) this.credentials.put(request.hostId, credentials);
        throw new HostAddError(error, calls, !retryable, `see to the host (the SSH credentials, its agent: CloudStack's management log says why), then ${RESEND_ADD}`);
      }
    }
    try {
      const enabled = await this.enabler.enable(hostId, undefined, beforeMutation);
      return { hostId, calls: [...calls, ...enabled.calls] };
    } catch (error) {
      if (error instanceof HostLockLostError) throw error;
      const e = error instanceof HostEnableError ? error : new HostEnableError(error, [], isPermanentError(error));
      throw new HostEnableError(e, [...calls, ...e.calls], e.permanent);
    }
  }
}
