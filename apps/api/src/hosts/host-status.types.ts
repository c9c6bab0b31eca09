import type { ApplyOutcomeSummary, JobTrigger, ResolveOutcomeSummary } from '@hostnet/contracts';

/**
 * Where a host stands in hostnet's eyes: queued → applying → verified → enabled, or an end that
 * leaves it for an operator. `enabled` is the only fully done state. `resolved`: an operator's
 * resolve of a stuck run (never followed by enabling).
 */
export const HOST_PHASES = ['queued', 'applying', 'verified', 'no-op', 'dry-run', 'rolled-back', 'failed', 'enabled', 'enable-failed', 'resolved'] as const;
export type HostPhase = (typeof HOST_PHASES)[number];

/** One CloudStack call api made for a host, kept for the operator's audit trail. */
export interface CloudStackCallRecord {
  command: string;
  at: string;
  ok: boolean;
  error?: string;
}

/** One entry of a host's history (the latest one is also its status). */
export interface HostStatusRecord {
  hostId: string;
  hostName: string;
  zoneId: string;
  podId?: string;
  clusterId?: string;
  /** Names as CloudStack showed them when the host was triggered, for people reading the dashboard. */
  zoneName?: string;
  podName?: string;
  clusterName?: string;
  phase: HostPhase;
  specHash?: string;
  jobId?: string;
  /** The run (configure request) this record is about. */
  runId?: string;
  trigger?: JobTrigger;
  reason?: string;
  outcome?: ApplyOutcomeSummary;
  /**
   * Set by a dry-run's result (a drift check's or an operator's): true when it found a file or live state
   * that differs from the host's intent (the diff is in `outcome`), false when the host matched; false too
   * on a verified apply or no-op, which found or made the host as its intent.
   * A dry-run keeps the host's phase: it says whether the host still matches, not where it stands.
   */
  drifted?: boolean;
  /** Set on a dry-run's result record: `phase` is where the host still stands, `outcome` what the dry-run found. */
  dryRun?: true;
  /**
   * Set on a dry-run's result record when the dry-run did not complete (the host unreachable, its facts invalid, a
   * refusal): the host keeps its phase, but its next run would most likely stop the same way, which an operator
   * must see (the dashboard lists it with those needing attention) and a relabel plan refuses.
   */
  dryRunIncomplete?: true;
  cloudstackCalls?: CloudStackCallRecord[];
  /** Set on `resolved` records: what the operator asked, why, and what the host showed. */
  resolve?: ResolveRecord;
  /** Set when the run was a host step of a relabel rollout: which rollout and which layout it asked for. */
  relabel?: { rolloutId: string; layout: 'old' | 'both' | 'new'; restartAgent: boolean };
  at: string;
}

export interface ResolveRecord {
  action: 'rollback';
  /** The operator's reason, as given. */
  reason: string;
  outcome: ResolveOutcomeSummary;
}

/** A result api refused to act on: it named no run in flight, or a run another result already took. */
export interface RejectedResultRecord {
  hostId: string;
  runId: string;
  resultJobId: string;
  /** What the result claimed. */
  status: string;
  reason: string;
  at: string;
}

/** What the poller decides on: a few fields of the latest record, stored apart so a pass never parses whole records. */
export type HostStatusBrief = Pick<HostStatusRecord, 'phase' | 'specHash' | 'reason' | 'at' | 'dryRunIncomplete'> & {
  /** Set on a dry-run's own `queued` record only (a new host's first record): no run towards enabling the host. */
  dryRun?: true;
  /** The relabel rollout whose host step this record is (the poller leaves alone a host such a step left Disabled). */
  relabelRolloutId?: string;
};
