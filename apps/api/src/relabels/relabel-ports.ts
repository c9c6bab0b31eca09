import type { AsyncJobStatus, HostAllocationAction, KvmHost, TrafficType } from '@hostnet/cloudstack';
import type { HostLayout, HostStepPurpose, RelabelRollout, RolloutHost } from './relabel-rollout.types';

/** The CloudStack commands a rollout uses; CloudStackClient is one (tests pass a fake). */
export interface RelabelCloudStackPort {
  /** One host (`id`) or every KVM host of a zone (`zoneId`). */
  listHosts(filter: { id?: string; zoneId?: string }): Promise<KvmHost[]>;
  /** A timed-out updateTrafficType's job: pending, or ended. */
  asyncJobStatus(jobId: string): Promise<AsyncJobStatus>;
  countRunningVms(hostId: string): Promise<number>;
  updateTrafficTypeLabel(trafficTypeId: string, kvmNetworkLabel: string): Promise<unknown>;
  listTrafficTypes(physicalNetworkId: string): Promise<TrafficType[]>;
  updateHostAllocation(hostId: string, action: HostAllocationAction): Promise<KvmHost>;
  prepareHostForMaintenance(hostId: string): Promise<KvmHost>;
  cancelHostMaintenance(hostId: string): Promise<KvmHost>;
}

export interface HostStepRequest {
  purpose: HostStepPurpose;
  layout: HostLayout;
  restartAgent: boolean;
}

export interface HostStepRun {
  runId: string;
  jobId: string;
}

/** How a host step's run ended, as api recorded its result. */
/** A host as the rollout last read it from CloudStack. */
export type HostSeen = Pick<KvmHost, 'state' | 'resourceState'>;

export interface HostStepOutcome {
  ok: boolean;
  /** applied, no-op, rolled-back, failed; or lost when the run can no longer end in a result. */
  runStatus: string;
  reason?: string;
  /**
   * The run failed and said it changed nothing on the host: refused or stopped before its rollback was
   * armed (no `rollback` in its outcome). The host still holds the layout it last verified.
   */
  unchanged?: true;
}

/** Runs host steps as hostnet runs (a configure job carrying `relabel`) and reports how they ended. */
export interface RelabelHostStepPort {
  /**
   * Enqueues the step; `claimed` runs once the run id is known and before the worker can see the job, so
   * the rollout records it first. Answers `busyWith` when another run of the host is in flight.
   */
  start(rollout: RelabelRollout, host: RolloutHost, step: HostStepRequest, claimed: (run: HostStepRun) => Promise<void>): Promise<HostStepRun | { busyWith: string }>;
  /** The run's outcome, undefined while it may still end in a result. */
  outcome(hostId: string, runId: string): Promise<HostStepOutcome | undefined>;
  /** Whether `runId` still holds the host (a foreign run the rollout waits for). */
  inFlight(hostId: string, runId: string): Promise<boolean>;
  /**
   * The step's run verified (or was a no-op) and the rollout saw the host (`seen`): when that is Up and Enabled, the
   * host's status says `enabled` like any configured host's, instead of staying `verified` (which means "being enabled").
   */
  settled(hostId: string, runId: string, seen: HostSeen): Promise<void>;
}

/** Timing of a runner; tests shorten it. */
export interface RelabelRunnerOptions {
  /** How often results and host states are polled. */
  pollMs: number;
  /** A host step (run) that has not ended by then counts as failed. */
  stepTimeoutMs: number;
  /** A host not back Up (and Enabled) by then counts as failed. */
  hostWaitTimeoutMs: number;
  /** Hosts expanded / switched / restored at once. */
  concurrency: number;
  /** Runner lock expiry (renewed at a third of it). */
  lockTtlMs: number;
  /** An abort tries a host's failed restore to both bridges again this long after the last try, not at once. */
  restoreRetryMs: number;
}

export const DEFAULT_RUNNER_OPTIONS: RelabelRunnerOptions = {
  pollMs: 250,
  stepTimeoutMs: 15 * 60_000,
  hostWaitTimeoutMs: 10 * 60_000,
  concurrency: 10,
  lockTtlMs: 30_000,
  restoreRetryMs: 60_000,
};
