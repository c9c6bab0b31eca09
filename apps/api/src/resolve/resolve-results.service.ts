import { Injectable, Logger } from '@nestjs/common';
import type { ReportResolveJobData } from '@hostnet/contracts';
import { HostStatusRepository } from '../hosts/host-status.repository';
import type { HostStatusRecord } from '../hosts/host-status.types';
import { HostLock } from '../runs/host-lock';
import { HostRunRegistry } from '../runs/host-run.registry';
import { ResolveAnswerStore } from './resolve-answer.store';
import { resolveResultRejection } from './resolve-result-binding';

/**
 * Records an operator's resolve, and nothing else: it holds no CloudStack client and no enabler, so a resolve can
 * never enable a host. Every resolve's record is its answer (ResolveAnswerStore); it becomes the host's latest status
 * only when the host changed (or hostnet had none), and goes into its history unless there was nothing to resolve:
 * a healthy host's status and history stay exactly as they were.
 */
@Injectable()
export class ResolveResultsService {
  private readonly logger = new Logger(ResolveResultsService.name);

  constructor(
    private readonly statuses: HostStatusRepository,
    private readonly lock: HostLock,
    private readonly runs: HostRunRegistry,
    private readonly answers: ResolveAnswerStore,
  ) {}

  async handle(result: ReportResolveJobData, resultJobId: string): Promise<'resolved' | 'rejected'> {
    const hostId = String(result.request?.hostId ?? '');
    return this.lock.withLock(hostId, async () => {
      const run = await this.runs.current(hostId);
      const rejection = resolveResultRejection(result, resultJobId, run);
      if (rejection || !run) {
        const runId = String(result.request?.requestId ?? '');
        this.logger.warn(`rejected resolve result ${resultJobId} hostId=${hostId} runId=${runId}: ${rejection}`);
        await this.statuses.recordRejected({ hostId, runId, resultJobId, status: String(result.outcome?.status ?? ''), reason: rejection ?? '', at: now() });
        return 'rejected';
      }
      const { request, outcome } = result;
      const previous = await this.statuses.latest(hostId);
      const record: HostStatusRecord = {
        ...(previous ? { podId: previous.podId, clusterId: previous.clusterId, zoneName: previous.zoneName, podName: previous.podName, clusterName: previous.clusterName } : {}),
        hostId,
        hostName: request.hostName,
        zoneId: request.zoneId,
        phase: 'resolved',
        ...(outcome.specHash ? { specHash: outcome.specHash } : {}),
        jobId: result.resolveJobId,
        runId: run.runId,
        trigger: request.trigger,
        reason: `operator resolve ${outcome.status}: ${outcome.detail}`,
        resolve: { action: request.action, reason: request.reason, outcome },
        at: now(),
      };
      const changed = outcome.status === 'rolled-back' || (outcome.phaseBefore !== undefined && outcome.phaseBefore !== outcome.phaseAfter);
      await this.answers.save({ ...record, runId: run.runId });
      if (changed) await this.statuses.record(record);
      else if (outcome.status !== 'nothing-to-resolve') await (previous ? this.statuses.appendHistory(record) : this.statuses.record(record));
      await this.runs.release(hostId, run.runId);
      this.logger.log(`resolve recorded hostId=${hostId} runId=${run.runId} status=${outcome.status}`);
      return 'resolved';
    });
  }
}

function now(): string {
  return new Date().toISOString();
}
