import type { RelabelChange } from '@hostnet/contracts';
import type { DriftedHostsPolicy, OutOfScopePolicy, RelabelBackend, RelabelChangeInput, RelabelStrategyInput } from '@hostnet/relabel';

/**
 * planned → running ⇄ paused → done; running|paused → aborting → aborted; planned → aborted.
 * `running` and `aborting` are the states a runner drives (and resumes after an api restart).
 */
export type RolloutState = 'planned' | 'running' | 'paused' | 'aborting' | 'done' | 'aborted';

/** Forward phases in order, then the rollback phases in order (docs/relabel.md). */
export const FORWARD_PHASES = ['expand', 'freeze', 'flip', 'switch', 'contract'] as const;
export const ROLLBACK_PHASES = ['rollback-contract', 'rollback-flip', 'rollback-switch', 'rollback-expand', 'rollback-unfreeze'] as const;
export type RolloutPhase = (typeof FORWARD_PHASES)[number] | (typeof ROLLBACK_PHASES)[number] | 'finished';

export type HostLayout = 'old' | 'both' | 'new';

/** What a host step is for; `restore-*` and `switch-back` belong to the rollback. */
export type HostStepPurpose = 'expand' | 'switch' | 'contract' | 'restore-both' | 'switch-back' | 'restore-old';

/** Where a contract-like step (maintenance around a configure run) stands; persisted so a restart continues it. */
export type ContractStage = 'maintenance' | 'configure' | 'cancel' | 'wait';

/** One host step: a hostnet run (journal, verification, rollback are the worker's) plus what the rollout did around it. */
export interface HostStepRecord {
  purpose: HostStepPurpose;
  layout: HostLayout;
  restartAgent: boolean;
  startedAt: string;
  /** The configure run (its requestId) and job, once enqueued. */
  runId?: string;
  jobId?: string;
  /** When the run was enqueued: the run's stepTimeoutMs counts from here, not from the maintenance before it. */
  runQueuedAt?: string;
  /** Contract-like steps: when the maintenance ended and the configure began (another run in the way is waited for from here). */
  configureAt?: string;
  /** Contract-like steps only. */
  stage?: ContractStage;
  /** The rollout put the host into maintenance for this step (and must cancel it); a superseding step inherits it. */
  maintenance?: boolean;
  endedAt?: string;
  /** `verified` (applied or no-op and verified) or why not. */
  result?: 'verified' | 'failed';
  /** The step ended because a step of this purpose took the host over (its result is what its run proved, if anything). */
  supersededBy?: HostStepPurpose;
  /** The run's status as the worker reported it (applied, no-op, rolled-back, failed) or lost/timeout. */
  runStatus?: string;
  reason?: string;
}

export interface RolloutHost {
  hostId: string;
  hostName: string;
  clusterId: string;
  backend: RelabelBackend;
  /** CloudStack's resource state when the rollout was planned (for the record; `before` is what is restored). */
  initialResourceState: string;
  /**
   * The resource state read just before the rollout first changed the host in CloudStack (freeze or
   * maintenance): the state it is given back at the end (a Disabled host ends Disabled, one an operator
   * had in maintenance stays there). Unset while the rollout has not changed it.
   */
  before?: string;
  /** A maintenance step ended without a verified layout: the rollout keeps the host in its maintenance until one verifies. */
  leftInMaintenance?: boolean;
  /** The last layout a run verified on the host. */
  layout: HostLayout;
  /** A layout was attempted and not verified since: the host's layout is what its own rollback left. */
  unverified?: HostLayout;
  /** The step in flight, if any. */
  current?: HostStepRecord;
  /** Finished steps, oldest first. */
  steps: HostStepRecord[];
}

/** One CloudStack call the rollout made; params never hold credentials (the client signs, the rollout never sees keys). */
export interface RolloutCallRecord {
  command: string;
  params: Record<string, string>;
  ok: boolean;
  /** Short result: the state CloudStack answered with, or the error text. */
  result: string;
  hostId?: string;
  at: string;
}

/** A host the rollback no longer acts on, who gave it up and why. */
export interface GivenUpHost {
  hostId: string;
  by: string;
  at: string;
  why: string;
}

/** What the operator asked for, kept to re-plan on start and for the record. */
export interface RelabelRequest {
  zone: string;
  changes: RelabelChangeInput[];
  scope?: string[];
  outOfScope?: OutOfScopePolicy;
  /** Hosts in scope holding changes beyond the relabel that no run applied: refuse the plan (default), or include them. */
  drifted?: DriftedHostsPolicy;
  strategy?: RelabelStrategyInput;
  /** Public VLAN ids in use, for the exact agent bridge name check. */
  publicVlans?: number[];
  requestedBy?: string;
}

/** The rollout's mutable record (the plan is stored beside it, immutable). */
export interface RelabelRollout {
  id: string;
  zoneId: string;
  zoneName: string;
  planHash: string;
  request: RelabelRequest;
  /** The changes as the host steps carry them. */
  changes: RelabelChange[];
  state: RolloutState;
  phase: RolloutPhase;
  /** Why the rollout paused or aborted (failure, request, abortAfter). */
  reason?: string;
  /** The last error that stopped a runner (it is retried by the next one). */
  lastError?: string;
  /**
   * Traffic type ids whose label may be the new one in CloudStack: recorded before each updateTrafficType
   * and dropped once flipped back, so the rollback flips back every flip that may have reached CloudStack.
   */
  flipped: string[];
  /** Of `flipped`, those CloudStack confirmed on the new label (its answer, or a listTrafficTypes read): the flip skips only these. */
  flipConfirmed?: string[];
  /**
   * Traffic type id → the job of a forward updateTrafficType that timed out (it may still complete): the
   * rollback waits for it to end before flipping back, or the late job would set the new label after it.
   */
  flipJobs?: Record<string, string>;
  /** A label was flipped at some point: VMs started or migrated since may be plugged into the new bridge. */
  everFlipped?: boolean;
  /** Hosts the rollout disabled (freeze) and must enable again. */
  frozen: string[];
  /** Linux hosts whose agent restarted on the new label (switch), so a rollback must switch them back. */
  switched: string[];
  /** Hosts that failed a forward step at least once (abortAfter counts these). */
  failedHosts: string[];
  /**
   * Hosts the rollback gave up on (an operator's give-up while aborting, or CloudStack no longer lists them): left as
   * they are, released, skipped by every later rollback step, named in the final reason.
   */
  givenUp?: GivenUpHost[];
  /** Hosts whose rollback step failed: left as their own journal left them, named in the final reason. */
  rollbackFailures: string[];
  abortAfter: number;
  hosts: Record<string, RolloutHost>;
  createdAt: string;
  updatedAt: string;
  startedAt?: string;
  endedAt?: string;
  /** Compare-and-set counter: every write must name the version it read. */
  version: number;
}

/** Live rollouts: a runner drives them. Terminal: nothing more happens. */
export const DRIVEN_STATES: ReadonlySet<RolloutState> = new Set(['running', 'aborting']);
export const ACTIVE_STATES: ReadonlySet<RolloutState> = new Set(['running', 'paused', 'aborting']);
export const ENDED_STATES: ReadonlySet<RolloutState> = new Set(['done', 'aborted']);
