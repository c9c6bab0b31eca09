import { Inject, Injectable } from '@nestjs/common';
import { StuckRunResolver } from '@hostnet/apply';
import type { ResolveHostJobData, ResolveOutcomeSummary } from '@hostnet/contracts';
import { HOSTNET_CONFIG, HostRunSpecRepository, RunSpecUnavailableError } from '@hostnet/platform';
import { SshConnector, SshEndpoints } from '@hostnet/ssh';
import { hostConnection } from '../host-run/host-connection';
import type { WorkerConfig } from '../worker-config';

/** Longest a restore may still run once the host stopped waiting for it within the round trip. */
const FOLLOW_UP_MS = 5 * 60_000;

/** An operator's resolve of one host: finds the host's SSH address (as api stored it), then rolls back its stuck run. */
@Injectable()
export class HostResolveService {
  constructor(
    @Inject(HOSTNET_CONFIG) private readonly config: WorkerConfig,
    private readonly specs: HostRunSpecRepository,
    private readonly endpoints: SshEndpoints,
    private readonly ssh: SshConnector,
  ) {}

  async resolve(job: ResolveHostJobData): Promise<ResolveOutcomeSummary> {
    const host = await this.specs.host(job.hostId);
    if (!host) {
      throw new RunSpecUnavailableError(`host ${job.hostId}: api stored no address for it (expired or an older api); ask for the resolve again (POST /hosts/:id/resolve)`);
    }
    const commandTimeoutMs = this.config.HOSTNET_SSH_COMMAND_TIMEOUT_MS;
    const resolver = new StuckRunResolver(hostConnection(this.config, this.endpoints, this.ssh, host), {
      // The host waits for the restore a little less than the exec may take, so its answer arrives.
      restoreWaitSeconds: Math.max(1, Math.min(300, Math.floor(commandTimeoutMs / 1000) - 5)),
      commandTimeoutMs,
      followUpMs: FOLLOW_UP_MS,
      reconnectIntervalMs: 1_000,
    });
    return resolver.rollback(`${job.trigger.by ?? 'unnamed'}: ${job.reason}`);
  }
}
