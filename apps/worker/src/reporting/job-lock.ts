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

/** A job's BullMQ lock as the processor that fetched it holds it. */
export interface HeldJobLock {
  token: string;
  ms: number;
}

/**
 * Sends a run's report only while this worker holds its job (no lock: a job no Worker fetched, with none
 * to lose); false, with nothing sent, once another worker holds it.
 */
export async function reportWhileHeld(job: Job, lock: HeldJobLock | undefined, send: () => Promise<void>): Promise<boolean> {
  if (lock && !(await stillHolds(job, lock.token, lock.ms))) return false;
  await send();
  return true;
}
