import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobName, QueueName, type ApplyOutcomeSummary, type ConfigureHostJobData, type HostJobReturn, type ResolveHostJobData, type ResolveOutcomeSummary } from '@hostnet/contracts';
import { withLogContext } from '@hostnet/platform';
import { HostRunService } from './host-run/host-run.service';
import { settleJobFailure } from './host-run/job-failure';
import { runIdOf } from './host-run/run-id';
import { RunPhaseLogger } from './host-run/run-phase.logger';
import { reportWhileHeld, type HeldJobLock } from './reporting/job-lock';
import { ResultReporter } from './reporting/result-reporter.service';
import { SettledProgress } from './reporting/settled-progress';
import { ResolveJobHandler } from './resolve/resolve-job.handler';

/** The host queue's job lock: BullMQ's default lockDuration, which the worker keeps. */
const LOCK_MS = 30_000;
/** A stage shorter than this is not shown on the dashboard (see SettledProgress). */
const PROGRESS_SETTLE_MS = 250;

/**
 * Thin: runs the host workflow (or hands an operator's resolve to its handler), logs each phase, and reports every final outcome. Transient failures
 * are rethrown for BullMQ's backoff; permanent ones (and the last attempt) are reported, then end the job.
 */
@Processor(QueueName.HostNetwork, { autorun: false })
export class HostNetworkProcessor extends WorkerHost {
  private readonly logger = new Logger(HostNetworkProcessor.name);

  constructor(
    private readonly runs: HostRunService,
    private readonly reporter: ResultReporter,
    private readonly resolves: ResolveJobHandler,
  ) {
    super();
  }

  /**
   * Returns only the run's status: the outcome itself travels through the results queue. A job's return
   * value is written to Redis twice more (the job and the queue's events stream, which every api replica
   * reads and parses), and api reads nothing of it but the status it shows live.
   */
  async process(job: Job<ConfigureHostJobData | ResolveHostJobData>, token?: string): Promise<HostJobReturn> {
    const { status } = await this.run(job, token);
    return { status };
  }

  private run(job: Job<ConfigureHostJobData | ResolveHostJobData>, token?: string): Promise<ApplyOutcomeSummary | ResolveOutcomeSummary> {
    // Every line logged while this job runs (SSH, apply, CloudStack) carries its ids in JSON logs;
    // runId as api records it, so one run has one id across both apps.
    const ids = { jobId: job.id, hostId: job.data.hostId, runId: job.data.requestId };
    // Without a token (a job not fetched by a Worker) there is no lock to lose.
    const lock = token === undefined ? undefined : { token, ms: LOCK_MS };
    if (job.name === JobName.ResolveHost) return withLogContext(ids, () => this.resolves.process(job as Job<ResolveHostJobData>, lock));
    return withLogContext(ids, () => this.configure(job as Job<ConfigureHostJobData>, lock));
  }

  private async configure(job: Job<ConfigureHostJobData>, lock: HeldJobLock | undefined): Promise<ApplyOutcomeSummary> {
    const attempt = job.attemptsMade + 1;
    const log = new RunPhaseLogger(this.logger, { jobId: job.id ?? '', hostId: job.data.hostId, runId: runIdOf(job.data), attempt });
    const report = async (outcome: ApplyOutcomeSummary): Promise<void> => {
      if (await reportWhileHeld(job, lock, () => this.reporter.report(job.id ?? '', job.data, outcome, attempt))) return;
      this.logger.warn(`not reporting ${outcome.status} of jobId=${job.id ?? ''} runId=${runIdOf(job.data)}: the job stalled and another worker holds it now, which reports the run`);
    };
    const progress = new SettledProgress((stage) => void job.updateProgress(stage).catch(() => undefined), PROGRESS_SETTLE_MS);
    try {
      const lastAttempt = attempt >= (job.opts.attempts ?? 1);
      const outcome = await this.runs.run(
        job.data,
        (stage) => {
          log.started(stage);
          progress.stage(stage);
        },
        lastAttempt,
        // awaited before the run applies: the next attempt reads it from Redis (agentRestartForMap)
        () => job.updateData({ ...job.data, agentRestartOwed: true }),
      );
      progress.stop();
      log.finished(outcome);
      await report(outcome);
      return outcome;
    } catch (error) {
      progress.stop();
      return settleJobFailure(job, error, log, (reason, permanent) => report({ status: 'failed', reason, permanent }));
    }
  }
}
