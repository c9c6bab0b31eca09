/**
 * Queue and job names. These strings are stored in Redis: never rename one once released,
 * add a new name and migrate instead.
 */
export const QueueName = {
  /** One job per host: configure its network (or dry-run it). Consumed by the worker. */
  HostNetwork: 'hostnet-host-network',
  /** Durable results from the worker back to api (QueueEvents alone is not durable). */
  HostResults: 'hostnet-host-results',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const JobName = {
  ConfigureHost: 'configure-host',
  ReportResult: 'report-result',
} as const;
export type JobName = (typeof JobName)[keyof typeof JobName];
