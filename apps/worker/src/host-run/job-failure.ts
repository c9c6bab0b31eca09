import { UnrecoverableError, type Job } from 'bullmq';
import { failureReason, isPermanentFailure } from './error-classification';
import type { RunPhaseLogger } from './run-phase.logger';

/**
 * The one retry rule of the host queue: a permanent failure, or the last attempt, is reported as the
 * job's final outcome and ends the job; anything else is rethrown for BullMQ's backoff.
 */
export async function settleJobFailure(
  job: Job,
  error: unknown,
  log: RunPhaseLogger,
  reportFinal: (reason: string, permanent: boolean) => Promise<void>,
): Promise<never> {
  const permanent = isPermanentFailure(error);
  const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  const reason = failureReason(error);
  log.threw(reason, { permanent, retry: !permanent && !lastAttempt });
  if (permanent || lastAttempt) {
    await reportFinal(reason, permanent);
    throw permanent ? new UnrecoverableError(reason) : error;
  }
  throw error;
}
