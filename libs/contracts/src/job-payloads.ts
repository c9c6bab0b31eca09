import type { ApplyOutcomeSummary } from './apply-outcome-summary';
import type { ResolveOutcomeSummary } from './resolve-outcome-summary';
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

/**
 * Payload of a resolve-host job: an operator asks the worker to roll back the run stuck on a host.
 * `reason` and `trigger.by` were validated by api to a plain charset; they reach the host's journal.
 */
export interface ResolveHostJobData {
  zoneId: string;
  hostId: string;
  hostName: string;
  /** Rollback only: confirming a run nobody verified would defeat the safety contract. */
  action: 'rollback';
  reason: string;
  trigger: JobTrigger;
  /** Random id of this request; the run api holds for the host while resolving. */
  requestId: string;
  requestedAt: string;
}

/** Payload of a report-resolve job, sent by the worker when a resolve-host job ends. */
export interface ReportResolveJobData {
  resolveJobId: string;
  request: ResolveHostJobData;
  outcome: ResolveOutcomeSummary;
  finishedAt: string;
  attempts: number;
}

/** Typed list of every job hostnet runs: one place to see names, queues and payloads together. */
export interface JobMap {
  [JobName.ConfigureHost]: { queue: typeof QueueName.HostNetwork; data: ConfigureHostJobData };
  [JobName.ReportResult]: { queue: typeof QueueName.HostResults; data: ReportResultJobData };
  [JobName.ResolveHost]: { queue: typeof QueueName.HostNetwork; data: ResolveHostJobData };
  [JobName.ReportResolve]: { queue: typeof QueueName.HostResults; data: ReportResolveJobData };
}
export type JobDataOf<N extends keyof JobMap> = JobMap[N]['data'];
