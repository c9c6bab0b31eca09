import type { ConfigureHostJobData } from '@hostnet/contracts';

/** The run id a host job uses on the host and in logs: one per configure request. */
export function runIdOf(job: Pick<ConfigureHostJobData, 'requestId'>): string {
  return `job-${job.requestId}`;
}
