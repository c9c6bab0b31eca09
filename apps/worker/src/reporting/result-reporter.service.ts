import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import {
  JobName,
  JobPresets,
  QueueName,
  reportResultJobId,
  type ApplyOutcomeSummary,
  type ConfigureHostJobData,
  type ReportResolveJobData,
  type ReportResultJobData,
  type ResolveHostJobData,
  type ResolveOutcomeSummary,
} from '@hostnet/contracts';

/**
 * Sends a finished host run back to api as a durable job (QueueEvents is fire-and-forget: an api
 * that is down would miss the event, while a job waits in Redis until api takes it).
 */
@Injectable()
export class ResultReporter {
  constructor(@InjectQueue(QueueName.HostResults) private readonly results: Queue<ReportResultJobData | ReportResolveJobData>) {}

  async report(configureJobId: string, request: ConfigureHostJobData, outcome: ApplyOutcomeSummary, attempts: number): Promise<void> {
    const finishedAt = new Date().toISOString();
    const data: ReportResultJobData = { configureJobId, request, outcome, finishedAt, attempts };
    await this.results.add(JobName.ReportResult, data, {
      ...JobPresets.reportResult,
      jobId: reportResultJobId(configureJobId, `${request.requestId}-${attempts}`),
    });
  }

  /** A resolve's answer travels under its own job name: api never takes it for a configure result. */
  async reportResolve(resolveJobId: string, request: ResolveHostJobData, outcome: ResolveOutcomeSummary, attempts: number): Promise<void> {
    const finishedAt = new Date().toISOString();
    const data: ReportResolveJobData = { resolveJobId, request, outcome, finishedAt, attempts };
    await this.results.add(JobName.ReportResolve, data, {
      ...JobPresets.reportResult,
      jobId: reportResultJobId(resolveJobId, `${request.requestId}-${attempts}`),
    });
  }
}
