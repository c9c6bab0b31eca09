/**
 * How far a relabel rollout got, as GET /relabels/:id answers it (`progress`) and the dashboard and
 * `hostnet relabel status` show it. Typed once here for api (producer) and cli (consumer).
 */

/** A host's standing in the rollout; `failed` means failed and not verified since. */
export type RolloutHostState = 'failed' | 'in-flight' | 'pending' | 'expanded' | 'contracted' | 'restored';

/** The run of a host's latest step that has one: `status` is the worker's (applied, no-op, rolled-back, failed, lost, timeout) or `running`. */
export interface RolloutRunRef {
  runId: string;
  status: string;
}

export interface RolloutHostProgress {
  hostId: string;
  hostName: string;
  clusterId: string;
  state: RolloutHostState;
  /** The last layout a run verified on the host. */
  layout: 'old' | 'both' | 'new';
  /** The step in flight (`contract → new (maintenance)`), or the failed step's purpose; empty otherwise. */
  detail: string;
  /** A layout attempted and not verified since: the host is as its own rollback left it. */
  unverified?: 'old' | 'both' | 'new';
  lastRun?: RolloutRunRef;
  /** Why the host's last failed step failed (state `failed` only). */
  failure?: string;
}

/** Host counts of a wave or of the whole rollout; `expanded` includes the contracted hosts (both bridges or the new one). */
export interface RolloutCounts {
  hosts: number;
  expanded: number;
  contracted: number;
  failed: number;
  inFlight: number;
}

export interface RolloutWaveProgress {
  kind: 'canary' | 'wave';
  /** 1-based position in the order the waves run (canaries first), as the dashboard labels them. */
  index: number;
  counts: RolloutCounts;
  /** The wave's hosts in the plan's order. */
  hosts: RolloutHostProgress[];
}

export interface RolloutProgress {
  hosts: number;
  expanded: number;
  contracted: number;
  /** Hosts that failed a forward step at least once (what `abortAfter` counts), verified since or not. */
  failed: number;
  /** Names of the hosts with a step in flight. */
  inFlight: string[];
  /** Each wave in the order they run; left out when the plan could not be read (and in GET /relabels). */
  waves?: RolloutWaveProgress[];
}
