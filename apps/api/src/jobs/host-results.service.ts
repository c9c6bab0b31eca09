import { Injectable, Logger } from '@nestjs/common';
import type { ReportResultJobData } from '@hostnet/contracts';
import { HostStatusRepository } from '../hosts/host-status.repository';
import type { HostPhase, HostStatusRecord } from '../hosts/host-status.types';
import { AddHostCompletionService } from '../add-host/add-host-completion.service';
import { HostEnableError, HostEnableService } from './host-enable.service';

/** Whether a failed result job should be retried by BullMQ (CloudStack 5xx, network). */
export class RetryableResultError extends Error {
  override readonly name = 'RetryableResultError';
}

/**
 * Records every host run's result and, only after a verified apply (or a verified no-op) of an
 * apply request, enables the host in CloudStack. Anything else leaves the host Disabled with the
 * reason recorded for operators.
 */
@Injectable()
export class HostResultsService {
  private readonly logger = new Logger(HostResultsService.name);

  constructor(
    private readonly statuses: HostStatusRepository,
    private readonly enabler: HostEnableService,
    private readonly adder: AddHostCompletionService,
  ) {}

  async handle(result: ReportResultJobData, finalAttempt: boolean): Promise<HostPhase> {
    const { request, outcome } = result;
    const previous = await this.statuses.latest(request.hostId);
    const base: Omit<HostStatusRecord, 'phase' | 'at'> = {
      ...placementOf(previous),
      hostId: request.hostId,
      hostName: request.hostName,
      zoneId: request.zoneId,
      specHash: request.specHash,
      jobId: result.configureJobId,
      trigger: request.trigger,
      outcome,
      ...(outcome.reason ? { reason: outcome.reason } : {}),
    };
    const verified = outcome.status === 'applied' || outcome.status === 'no-op';
    if (request.mode !== 'apply' || !verified) {
      await this.statuses.record({ ...base, phase: outcome.status, at: now() });
      return outcome.status;
    }
    if (previous?.phase !== outcome.status || previous.jobId !== result.configureJobId) {
      await this.statuses.record({ ...base, phase: outcome.status, at: now() });
    }
    try {
      const pendingHost = request.pendingHost;
      if (pendingHost) {
        const added = await this.adder.complete({ ...request, pendingHost });
        const reason = `added to CloudStack as ${added.hostId}`;
        await this.statuses.record({ ...base, phase: 'enabled', reason, cloudstackCalls: added.calls, at: now() });
        await this.statuses.record({ ...base, hostId: added.hostId, phase: 'enabled', cloudstackCalls: added.calls, at: now() });
        return 'enabled';
      }
      const { calls } = await this.enabler.enable(request.hostId);
      await this.statuses.record({ ...base, phase: 'enabled', cloudstackCalls: calls, at: now() });
      return 'enabled';
    } catch (error) {
      const e = error instanceof HostEnableError ? error : new HostEnableError(error, [], true);
      if (e.transient && !finalAttempt) {
        this.logger.warn(`enable failed, will retry hostId=${request.hostId}: ${e.message}`);
        // Same phase (enabling is still in progress, the poller keeps off), but the failed calls stay
        // in the history: the retry's own record only holds the calls of the attempt that succeeded.
        await this.statuses.record({
          ...base,
          phase: outcome.status,
          reason: `enabling failed, will retry: ${e.message}`,
          cloudstackCalls: e.calls,
          at: now(),
        });
        throw new RetryableResultError(e.message);
      }
      await this.statuses.record({
        ...base,
        phase: 'enable-failed',
        reason: `CloudStack refused to enable the host: ${e.message}`,
        cloudstackCalls: e.calls,
        at: now(),
      });
      return 'enable-failed';
    }
  }
}

/** Where the host sits, as its trigger recorded it: results carry ids only. */
function placementOf(record: HostStatusRecord | undefined): Partial<HostStatusRecord> {
  if (!record) return {};
  const { podId, clusterId, zoneName, clusterName } = record;
  return { podId, clusterId, zoneName, clusterName };
}

function now(): string {
  return new Date().toISOString();
}
