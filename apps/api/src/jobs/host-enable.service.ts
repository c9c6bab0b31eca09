import { Inject, Injectable, Logger } from '@nestjs/common';
import { CloudStackApiError, CloudStackClient, type KvmHost } from '@hostnet/cloudstack';
import { HOSTNET_CONFIG } from '@hostnet/platform';
import type { ApiConfig } from '../api-config';
import type { CloudStackCallRecord } from '../hosts/host-status.types';
import { HostnetError, isPermanentError } from '@hostnet/contracts';
import { isUnanswered, neverSent } from './unanswered-mutation';

export interface EnableResult {
  calls: CloudStackCallRecord[];
  /** True when CloudStack now shows the host Enabled (whether or not a call was needed). */
  enabled: boolean;
  /** The host's allocation state as read before any call (Disabled, Enabled, Maintenance, …). */
  resourceState: string;
}

/**
 * A run's one reconnect: `sentAt` when an earlier attempt of its enable sent it (then it is waited for, never sent
 * again); `record` keeps the time on the run before the call goes out (undefined: takes it back, for a call that
 * provably was not carried out), so that an api that dies mid-call does not have the retry send another.
 */
export interface RunReconnect {
  sentAt?: string;
  record(at: string | undefined): Promise<void>;
}

/** Thrown with the calls made so far, so the audit trail survives a retry. */
export class HostEnableError extends HostnetError {
  constructor(
    override readonly cause: unknown,
    readonly calls: CloudStackCallRecord[],
    readonly permanent: boolean,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

const CUT_OFF = new Set(['Alert', 'Disconnected', 'Down']);

/**
 * Enables a verified host in CloudStack, in the order CloudStack needs: a host in Alert or
 * Disconnected is reconnected first (its agent retries CheckNetworkCommand against the new
 * bridges), then allocation is set to Enable. Idempotent: calls are made only for what is missing,
 * so a host CloudStack already shows Enabled and Up gets no call at all (when the caller hands over
 * the host as read after the result; otherwise one listHosts).
 */
@Injectable()
export class HostEnableService {
  private readonly logger = new Logger(HostEnableService.name);

  constructor(
    private readonly cloudstack: CloudStackClient,
    @Inject(HOSTNET_CONFIG) private readonly config: Pick<ApiConfig, 'CLOUDSTACK_TIMEOUT_MS' | 'CLOUDSTACK_RECONNECT_WAIT_MS'>,
  ) {}

  /**
   * `seen`: the host as a read made after the run's result found it (api's re-check of the zone); without
   * it, the host is listed first. `beforeMutation` runs before each reconnect or enable is sent (the
   * caller's lease on the host, HostLease.assertHeld); what it throws ends the enable with nothing sent.
   * `allocate` false: a cut-off host is reconnected, but its allocation is left as it is (enabled: false).
   */
  async enable(
    hostId: string,
    seen?: KvmHost,
    beforeMutation: () => Promise<void> = async () => undefined,
    allocate = true,
    reconnect?: RunReconnect,
  ): Promise<EnableResult> {
    const calls: CloudStackCallRecord[] = [];
    const call = async <T>(command: string, fn: () => Promise<T>): Promise<T> => {
      try {
        const value = await fn();
        calls.push({ command, at: new Date().toISOString(), ok: true });
        return value;
      } catch (error) {
        calls.push({ command, at: new Date().toISOString(), ok: false, error: (error as Error).message });
        throw new HostEnableError(error, calls, isPermanentError(error));
      }
    };
    const list = async (): Promise<KvmHost> => {
      const [host] = await call('listHosts', () => this.cloudstack.listHosts({ id: hostId }));
      if (!host) throw new HostEnableError(new Error(`host ${hostId} is no longer in CloudStack`), calls, true);
      return host;
    };
    // A mutation left unanswered may still be carried out: look for its effect before anyone (this
    // call's retry or the result job's) sends it a second time.
    const mutate = async (command: string, fn: () => Promise<unknown>, done: (h: KvmHost) => boolean): Promise<void> => {
      await beforeMutation();
      try {
        await call(command, fn);
      } catch (error) {
        if (!(error instanceof HostEnableError) || !isUnanswered(error.cause)) throw error;
        const settleUntil = Date.now() + 2 * this.config.CLOUDSTACK_TIMEOUT_MS;
        while (Date.now() < settleUntil) {
          await new Promise((r) => setTimeout(r, Math.min(1_000, this.config.CLOUDSTACK_TIMEOUT_MS / 4)));
          if (done(await list())) return;
        }
        throw error;
      }
    };
    const host = seen?.id === hostId ? seen : await list();
    // Maintenance and its kin are the operator's: no reconnect (CloudStack refuses it) and no enable.
    if (host.resourceState !== 'Disabled' && host.resourceState !== 'Enabled') return { calls, enabled: false, resourceState: host.resourceState };
    if (CUT_OFF.has(host.state)) {
      if (reconnect?.sentAt) {
        await this.awaitUp(hostId, list, calls, reconnect.sentAt);
      } else {
        // Connecting is the reconnect under way, not its success: only Up is connected.
        const after = await this.reconnectOnce(hostId, call, beforeMutation, reconnect);
        if (after?.state !== 'Up') await this.awaitUp(hostId, list, calls);
      }
    }
    if (!allocate) return { calls, enabled: false, resourceState: host.resourceState };
    if (host.resourceState === 'Disabled') {
      await mutate('updateHost', () => this.cloudstack.updateHostAllocation(hostId, 'Enable'), (h) => h.resourceState === 'Enabled');
      this.logger.log(`enabled hostId=${hostId}`);
    }
    return { calls, enabled: true, resourceState: host.resourceState };
  }

  /**
   * Sends the run's reconnectHost once. Unanswered, it is the reconnect under way (the host shows Disconnected during
   * its back-off, so no listing can tell it from one never carried out): the caller waits for Up, and a retry of the
   * result finds it recorded. Only an error proving it was not carried out (never sent, or CloudStack's own error
   * answer) takes the record back: a call that died with the api, or whose answer could not be read, keeps it.
   */
  private async reconnectOnce(
    hostId: string,
    call: <T>(command: string, fn: () => Promise<T>) => Promise<T>,
    beforeMutation: () => Promise<void>,
    reconnect: RunReconnect | undefined,
  ): Promise<KvmHost | undefined> {
    await beforeMutation();
    await reconnect?.record(new Date().toISOString());
    try {
      return await call('reconnectHost', () => this.cloudstack.reconnectHost(hostId));
    } catch (error) {
      const cause = error instanceof HostEnableError ? error.cause : error;
      if (isUnanswered(cause)) return undefined;
      // CloudStack's own error answer says the reconnect was not carried out: the retry may send it again
      if (neverSent(cause) || cause instanceof CloudStackApiError) await reconnect?.record(undefined);
      throw error;
    }
  }

  /**
   * After a reconnect, the host as CloudStack lists it until it is Up. CloudStack's reconnectHost disconnects the
   * agent on purpose (AgentManagerImpl.reconnect): the host shows Disconnected, then Connecting, then Up once the
   * agent is back, after its own back-off; so every state but Up is the reconnect under way until the deadline,
   * and a read that fails is tried again. Then the enable fails for good: a retry would send a second reconnect.
   */
  private async awaitUp(hostId: string, list: () => Promise<KvmHost>, calls: CloudStackCallRecord[], sentEarlierAt?: string): Promise<void> {
    const waitMs = Math.max(this.config.CLOUDSTACK_RECONNECT_WAIT_MS, 2 * this.config.CLOUDSTACK_TIMEOUT_MS);
    const until = Date.now() + waitMs;
    let state = 'Disconnected';
    for (;;) {
      try {
        state = (await list()).state;
      } catch (error) {
        if (error instanceof HostEnableError && /no longer in CloudStack/.test(error.message)) throw new HostEnableError(error.cause, calls, true);
        state = `unread (${(error as Error).message})`;
      }
      if (state === 'Up') return;
      if (Date.now() >= until) break;
      await new Promise((r) => setTimeout(r, Math.min(2_000, this.config.CLOUDSTACK_TIMEOUT_MS / 4)));
    }
    const fix = 'fix: read the agent\'s log on the host (/var/log/cloudstack/agent/agent.log) and CloudStack\'s alerts, then configure the host again (--force)';
    const after = sentEarlierAt
      ? `${Math.round(waitMs / 1000)} s into this attempt's wait for the reconnectHost an earlier attempt sent at ${sentEarlierAt} (one reconnect per verified run: not sent again)`
      : `${Math.round(waitMs / 1000)} s after reconnectHost`;
    throw new HostEnableError(new Error(`host ${hostId} is ${state}, not Up, ${after}; not enabled; ${fix}`), calls, true);
  }
}
