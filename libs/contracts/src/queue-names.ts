/**
 * Queue and job names. These strings are stored in Redis: never rename one once released,
 * add a new name and migrate instead.
 */
export const QueueName = {
  /** Host jobs (configure, dry-run, an operator's resolve of a stuck run). Consumed by the worker. */
  HostNetwork: 'hostnet-host-network',
  /** Durable results from the worker back to api (QueueEvents alone is not durable). */
  HostResults: 'hostnet-host-results',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const JobName = {
  ConfigureHost: 'configure-host',
  ReportResult: 'report-result',
  /** An operator rolls back a run stuck on a host (armed or rolling-back with nothing left to end it). */
  ResolveHost: 'resolve-host',
  /** The worker's answer to a resolve-host job, on the results queue. */
  ReportResolve: 'report-resolve',
} as const;
export type JobName = (typeof JobName)[keyof typeof JobName];
