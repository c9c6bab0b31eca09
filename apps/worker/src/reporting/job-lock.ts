import type { Job } from 'bullmq';

/**
 * Whether this worker still holds `job` (its BullMQ lock carries our token), extending the lock when it
 * does. A worker whose job stalled (its event loop blocked, or Redis out of reach) and was handed to
 * another worker must not report: the holder reports the run, and a late report under the same result
 * job id would take its place.
 */
export async function stillHolds(job: Job, token: string, lockMs: number): Promise<boolean> {
  return (await job.extendLock(token, lockMs)) === 1;
}
