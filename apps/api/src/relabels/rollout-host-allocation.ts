import type { KvmHost } from '@hostnet/cloudstack';
import type { RelabelRollout, RolloutHost, RolloutState } from './relabel-rollout.types';
import { latest, type RolloutContext } from './rollout-context';
import { isUnanswered } from '../jobs/unanswered-mutation';
import { rethrowIfRunnerMustStop } from './rollout-lock';

export const MAINTENANCE_STATES: ReadonlySet<string> = new Set(['PrepareForMaintenance', 'Maintenance', 'ErrorInMaintenance', 'ErrorInPrepareForMaintenance']);

/** How a change of a host's CloudStack state ended. */
export interface AllocationResult {
  ok: boolean;
  reason?: string;
  /** CloudStack's side failed after the host's run verified: not the host's failure (the rollout pauses, abortAfter does not count it). */
  passing?: true;
}

/**
 * The rollout's changes to hosts' CloudStack allocation (freeze, unfreeze, leaving maintenance), each
 * reading the host first so a runner that restarts in the middle repeats nothing and skips nothing, and
 * each giving the host back the state it had before the rollout first touched it (`RolloutHost.before`).
 */
export class HostAllocation {
  constructor(private readonly ctx: RolloutContext) {}

  /**
   * updateHost Disable on a host that is Enabled now (recorded as frozen first, with its state before);
   * a frozen host found Enabled again (a Disable that failed before) is disabled again. Throws on failure:
   * nothing that needs the freeze may run first. False, with nothing sent, once the rollout is no longer
   * `whileState` (a pause or abort came in).
   */
  async freeze(hostId: string, whileState: RolloutState): Promise<boolean> {
    const host = await this.ctx.cloudstack.host(hostId);
    if (host?.resourceState !== 'Enabled') return true;
    const recorded = await this.ctx.store.update(this.ctx.id, (r) => {
      if (r.state !== whileState) return false;
      if (!r.frozen.includes(hostId)) r.frozen.push(hostId);
      noteBefore(r, hostId, host.resourceState);
    });
    if (recorded.state !== whileState) return false;
    try {
      await this.ctx.cloudstack.updateHostAllocation(hostId, 'Disable');
    } catch (error) {
      if (!(await this.tookEffect(error, hostId, (h) => h.resourceState === 'Disabled'))) throw error;
    }
    return true;
  }

  /**
   * After a mutation without CloudStack's answer (isUnanswered): whether a fresh read of the host shows its effect.
   * An answered failure, or a read that fails, is no proof.
   */
  private async tookEffect(error: unknown, hostId: string, shows: (host: KvmHost) => boolean): Promise<boolean> {
    rethrowIfRunnerMustStop(error);
    if (!isUnanswered(error)) return false;
    const host = await this.ctx.cloudstack.host(hostId).catch(() => undefined);
    if (!host || !shows(host)) return false;
    this.ctx.log(`host ${hostId}: ${(error as Error).message} went unanswered, but the host shows it took effect (${host.state}/${host.resourceState})`);
    return true;
  }

  /** updateHost Enable for a host the rollout froze, unless it is Enabled already (an Enable sent before a restart). */
  async unfreeze(hostId: string): Promise<AllocationResult> {
    if (!(await latest(this.ctx)).frozen.includes(hostId)) return { ok: true };
    try {
      const host = await this.ctx.cloudstack.host(hostId);
      if (host?.resourceState !== 'Enabled') {
        if (host?.resourceState !== 'Disabled') return { ok: false, reason: `host is ${host?.resourceState ?? 'not found'}, not Disabled as the freeze left it; left as it is` };
        await this.ctx.cloudstack.updateHostAllocation(hostId, 'Enable');
      }
    } catch (error) {
      if (!(await this.tookEffect(error, hostId, (h) => h.resourceState === 'Enabled'))) {
        return { ok: false, reason: `updateHost Enable failed: ${(error as Error).message}`, passing: true };
      }
    }
    await this.ctx.store.update(this.ctx.id, (r) => void (r.frozen = r.frozen.filter((id) => id !== hostId)));
    await this.settleLastStep(hostId);
    return { ok: true };
  }

  /**
   * The host's last step saw it Disabled under the freeze (its status stayed `verified`): once enabled, one
   * read moves that run's status on to `enabled` (a failed read leaves it as it is). Forward (after the
   * switch) and back (after a switch-back, a restore, or the rollback's unfreeze).
   */
  private async settleLastStep(hostId: string): Promise<void> {
    const host = (await latest(this.ctx)).hosts[hostId];
    const runId = host?.current?.runId ?? host?.steps.at(-1)?.runId;
    if (runId === undefined) return;
    const seen = await this.ctx.cloudstack.host(hostId).catch((error: unknown) => void rethrowIfRunnerMustStop(error));
    if (seen) await this.ctx.steps.settled(hostId, runId, seen);
  }

  /**
   * cancelHostMaintenance (unless the host is out already), then the state the host must have now:
   * Disabled while frozen or when it was Disabled before the rollout (CloudStack's cancel enables it).
   * Call only on a verified layout.
   */
  async leaveMaintenance(hostId: string): Promise<AllocationResult> {
    let host: KvmHost | undefined = await this.ctx.cloudstack.host(hostId).catch(() => undefined);
    if (!host || MAINTENANCE_STATES.has(host.resourceState)) {
      try {
        host = await this.ctx.cloudstack.cancelHostMaintenance(hostId);
      } catch (error) {
        if (!(await this.tookEffect(error, hostId, (h) => !MAINTENANCE_STATES.has(h.resourceState)))) {
          return { ok: false, reason: `cancelHostMaintenance failed: ${(error as Error).message}; the host stays in maintenance`, passing: true };
        }
        host = await this.ctx.cloudstack.host(hostId);
        if (!host) return { ok: false, reason: 'host no longer listed after cancelHostMaintenance', passing: true };
      }
    }
    if (expectedState(await latest(this.ctx), hostId) === 'Disabled' && host.resourceState === 'Enabled') {
      try {
        await this.ctx.cloudstack.updateHostAllocation(hostId, 'Disable');
      } catch (error) {
        if (!(await this.tookEffect(error, hostId, (h) => h.resourceState === 'Disabled'))) {
          return { ok: false, reason: `updateHost Disable after cancelHostMaintenance failed: ${(error as Error).message}`, passing: true };
        }
      }
    }
    await this.ctx.store.update(this.ctx.id, (r) => {
      if (!r.hosts[hostId]?.leftInMaintenance) return false;
      delete r.hosts[hostId].leftInMaintenance;
    });
    return { ok: true };
  }
}

/** Records the host's state before the rollout's first change of it (kept once set). */
export function noteBefore(rollout: RelabelRollout, hostId: string, state: string): void {
  const host = rollout.hosts[hostId];
  if (host && host.before === undefined) host.before = state;
}

/**
 * The resource state the host must show once a step around it ended: Disabled while frozen, else the
 * state it had before the rollout changed it; undefined when the rollout never changed it (any will do).
 */
export function expectedState(rollout: RelabelRollout, hostId: string): string | undefined {
  if (rollout.frozen.includes(hostId)) return 'Disabled';
  return rollout.hosts[hostId]?.before;
}

/** The host's last step ended verified and nothing is in flight: its layout is one a run verified. */
export function latestStepVerified(host: RolloutHost): boolean {
  return !host.current && host.steps.at(-1)?.result === 'verified';
}
