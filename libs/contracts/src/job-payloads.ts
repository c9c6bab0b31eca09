import type { ApplyOutcomeSummary } from './apply-outcome-summary';
import { JobName, QueueName } from './queue-names';

/** What started a job; kept for the host's history. */
export interface JobTrigger {
  kind: 'poller' | 'operator' | 'add-host' | 'webhook';
  /** Operator identity or event id; never a secret. */
  by?: string;
  detail?: string;
}

/**
 * A host not yet in CloudStack (add-host orchestration): its network is configured first, then
 * api calls addHost, because CloudStack refuses hosts whose label bridges are missing.
 */
export interface PendingHost {
  name: string;
  ipAddress: string;
  podId: string;
  clusterId: string;
}

/** Payload of a configure-host job: ids and a spec hash, never secrets or rendered files. */
export interface ConfigureHostJobData {
  zoneId: string;
  hostId: string;
  hostName: string;
  /** sha256 of the host's intent when the job was enqueued; the worker re-derives and compares. */
  specHash: string;
  mode: 'apply' | 'dry-run';
  force: boolean;
  trigger: JobTrigger;
  /** Set for add-host orchestration; hostId is then `pending-<address>`. */
  pendingHost?: PendingHost;
  /** Random id of this request; tells a fresh enqueue from a deduplicated one. */
  requestId: string;
  requestedAt: string;
}

/** Payload of a report-result job, sent by the worker when a configure-host job ends. */
export interface ReportResultJobData {
  configureJobId: string;
  request: ConfigureHostJobData;
  outcome: ApplyOutcomeSummary;
  finishedAt: string;
  attempts: number;
}

/** Typed list of every job hostnet runs: one place to see names, queues and payloads together. */
export interface JobMap {
  [JobName.ConfigureHost]: { queue: typeof QueueName.HostNetwork; data: ConfigureHostJobData };
  [JobName.ReportResult]: { queue: typeof QueueName.HostResults; data: ReportResultJobData };
}
export type JobDataOf<N extends keyof JobMap> = JobMap[N]['data'];
