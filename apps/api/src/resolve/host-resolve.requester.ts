import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { JobName, JobPresets, QueueName, resolveHostJobId, type ResolveHostJobData } from '@hostnet/contracts';
import { HostRunSpecRepository } from '@hostnet/platform';
import { runHostOf } from '@hostnet/host-spec';
import { claimHostRun } from '../runs/host-run.claim';
import { HostRunRegistry, type InFlightRun } from '../runs/host-run.registry';
import { InFlightRunChecker } from '../runs/in-flight-run.checker';
import { HostResolver } from '../triggers/host-resolver';
import type { ResolveRequest } from './resolve.request';

/** api still has a run in flight for the host: that run ends by itself, a resolve would race it. */
export class HostRunInFlightError extends Error {
  override readonly name = 'HostRunInFlightError';
}

export interface ResolveAccepted {
  hostId: string;
  hostName: string;
  jobId: string;
  /** The run the resolve holds the host with; its record in the history names it. */
  runId: string;
}

/**
 * Enqueues an operator's resolve of one host. It claims the host in the same registry as configure
 * runs, so no configure run starts while it resolves, and none is running when it starts.
 */
@Injectable()
export class HostResolveRequester {
  private readonly logger = new Logger(HostResolveRequester.name);

  constructor(
    private readonly hosts: HostResolver,
    @InjectQueue(QueueName.HostNetwork) private readonly queue: Queue<ResolveHostJobData>,
    private readonly runs: HostRunRegistry,
    private readonly checker: InFlightRunChecker,
    private readonly specs: HostRunSpecRepository,
  ) {}

  async request(hostIdOrName: string, request: ResolveRequest): Promise<ResolveAccepted> {
    // A 404 (or 409 for a name in several zones) by HostnetErrorFilter, like every unknown target.
    const host = await this.hosts.resolve(hostIdOrName);
    const data: ResolveHostJobData = {
      zoneId: host.zoneId,
      hostId: host.id,
      hostName: host.name,
      action: request.action,
      reason: request.reason,
      trigger: { kind: 'operator', ...(request.requestedBy ? { by: request.requestedBy } : {}) },
      requestId: randomUUID(),
      requestedAt: new Date().toISOString(),
    };
    const jobId = resolveHostJobId(host.id);
    const run: InFlightRun = { runId: data.requestId, jobId, mode: 'resolve', specHash: '', at: data.requestedAt };
    const current = await claimHostRun(this.runs, this.checker, host.id, run, (lost) =>
      this.logger.warn(`run ${lost.runId} of hostId=${host.id} ended without a result; resolving with run ${run.runId}`),
    );
    if (current) {
      throw new HostRunInFlightError(
        `host ${host.id} has a run in flight (${current.mode}, run ${current.runId}, job ${current.jobId}): ` +
          'it ends by itself (its result rolls back what did not verify); resolve once GET /hosts/:id shows it ended',
      );
    }
    try {
      // The worker reaches the host at the address CloudStack gives now, read here: it holds no CloudStack keys.
      await this.specs.saveHost(runHostOf(host));
      await this.queue.add(JobName.ResolveHost, data, { ...JobPresets.resolveHost, jobId });
    } catch (error) {
      await this.runs.release(host.id, run.runId);
      throw error;
    }
    this.logger.log(`enqueued resolve jobId=${jobId} runId=${run.runId} hostId=${host.id} by=${data.trigger.by ?? '-'}`);
    return { hostId: host.id, hostName: host.name, jobId, runId: run.runId };
  }
}
