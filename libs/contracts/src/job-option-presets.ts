import type { JobsOptions } from 'bullmq';

/**
 * Named job-option presets: call sites pick a preset, never literal attempts or backoff.
 * Completed and failed jobs are removed at once, on purpose: a job id dedupes only while its job is
 * kept, so removal frees the host for the next trigger; results live in hostnet's own history.
 */
export const JobPresets = {
  configureHost: {
    attempts: 4,
    backoff: { type: 'exponential', delay: 2_000, jitter: 0.5 },
    removeOnComplete: true,
    removeOnFail: true,
  },
  /** Resolving is idempotent on the host (the restore re-checks the run under the host's lock). */
  resolveHost: {
    attempts: 3,
    backoff: { type: 'exponential', delay: 2_000, jitter: 0.5 },
    removeOnComplete: true,
    removeOnFail: true,
  },
  reportResult: {
    attempts: 8,
    backoff: { type: 'exponential', delay: 1_000, jitter: 0.5 },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  },
} as const satisfies Record<string, JobsOptions>;
