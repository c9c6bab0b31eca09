import type { ApplyOutcomeSummary } from './apply-outcome-summary';
import type { ResolveOutcomeSummary } from './resolve-outcome-summary';
import { JobName, QueueName } from './queue-names';

/** What started a job; kept for the host's history. */
export interface JobTrigger {
  /** `drift`: api's periodic read-only check of an Enabled host against its intent; always a dry-run. */
  kind: 'poller' | 'operator' | 'add-host' | 'webhook' | 'drift';
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

/** One label change of a relabel rollout, resolved to ids and both bridge names. */
export interface RelabelChange {
  physicalNetworkId: string;
  trafficType: 'Management' | 'Guest' | 'Public' | 'Storage';
  oldLabel: string;
  newLabel: string;
}

/**
 * A host step of a relabel rollout (docs/relabel.md). `layout` is what the host must look like for
 * the changed labels whatever CloudStack says at the moment: `old` only the old bridges, `both` the
 * new bridge beside the old one and linked to it (expand), `new` only the new bridges (contract).
 * The rest of the host's intent is derived from CloudStack as for any run.
 */
export interface RelabelHostStep {
  rolloutId: string;
  layout: 'old' | 'both' | 'new';
  changes: RelabelChange[];
  /** Restart cloudstack-agent after a verified apply, so it maps the bridges again (getPifs at start). */
  restartAgent: boolean;
}

/**
 * The host's allocation as api saw it when the run was triggered, and whether a verified run of it may
 * enable the host. api records it with the run and checks it again against CloudStack before enabling.
 */
export interface RunAllocation {
  /** CloudStack's resourceState at the trigger (Disabled, Enabled, Maintenance, …). */
  atTrigger: string;
  /** False when the host is Disabled by someone's choice (an operator, a relabel rollout): configure, never enable. */
  enable: boolean;
  /** Why enabling is withheld, with the fix; set when `enable` is false. */
  withheld?: string;
  /** Set when the operator asked for the enable (`"enable": true`); a re-run of the run keeps the ask. */
  asked?: true;
}

/** Payload of a configure-host job: ids and a spec hash, never secrets or rendered files. */
export interface ConfigureHostJobData {
  zoneId: string;
  hostId: string;
  hostName: string;
  /**
   * sha256 of the host's spec as api derived it at enqueue; the worker reads that spec (intent and host)
   * from Redis by this hash (HostRunSpecRepository) instead of asking CloudStack.
   */
  specHash: string;
  mode: 'apply' | 'dry-run';
  force: boolean;
  trigger: JobTrigger;
  /** Set for add-host orchestration; hostId is then `pending-<address>`. */
  pendingHost?: PendingHost;
  /** Set when the run is one host step of a relabel rollout. */
  relabel?: RelabelHostStep;
  /**
   * Set when api re-runs the host because CloudStack changed while run `rerunOf` (its requestId) was
   * under way: a re-run that goes stale too is not re-run again (the poller picks the host up).
   */
  rerunOf?: string;
  /** Set on every plain apply (api's triggers); a verified run without it is never enabled. */
  allocation?: RunAllocation;
  /** Random id of this request; tells a fresh enqueue from a deduplicated one. */
  requestId: string;
  requestedAt: string;
  /**
   * Set by the worker (awaited) before it applies a change to the agent's bridge → pif map: any later attempt of
   * this job whose run ends applied or no-op restarts the agent if it runs (once per requestId), so the restart a
   * confirmed run needed is not lost to a worker that died or stalled before it. Never set by api.
   */
  agentRestartOwed?: true;
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

/**
 * What a configure-host or resolve-host job returns: its run's status, all the live events show. The outcome
 * goes through the results queue (ReportResultJobData, ReportResolveJobData), not the job's return value.
 */
export interface HostJobReturn {
  status: ApplyOutcomeSummary['status'] | ResolveOutcomeSummary['status'];
}

/** Typed list of every job hostnet runs: one place to see names, queues and payloads together. */
export interface JobMap {
  [JobName.ConfigureHost]: { queue: typeof QueueName.HostNetwork; data: ConfigureHostJobData };
  [JobName.ReportResult]: { queue: typeof QueueName.HostResults; data: ReportResultJobData };
  [JobName.ResolveHost]: { queue: typeof QueueName.HostNetwork; data: ResolveHostJobData };
  [JobName.ReportResolve]: { queue: typeof QueueName.HostResults; data: ReportResolveJobData };
}
export type JobDataOf<N extends keyof JobMap> = JobMap[N]['data'];
