import type { RolloutCounts, RolloutHostProgress, RolloutHostState } from '@hostnet/contracts';
import type { RelabelPlan } from '@hostnet/relabel';
import { ACTIVE_STATES, ROLLBACK_PHASES, type RelabelRollout } from '../relabels/relabel-rollout.types';
import { rolloutFailures, type RolloutFailure } from '../relabels/rollout-failures';
import { rolloutProgress, type RolloutProgress } from '../relabels/rollout-progress';

/** A host chip: the host as the rollout's progress has it. */
export type RolloutHostView = RolloutHostProgress;
export type RolloutFailureView = RolloutFailure;

export interface RolloutWaveView {
  /** `Canary 1`, `Wave 2`… in the plan's order. */
  label: string;
  /** Failed and in-flight hosts first, then the plan's order. */
  hosts: RolloutHostView[];
  counts: RolloutCounts;
}

export interface RolloutRollbackView {
  /** 1-based position in ROLLBACK_PHASES, 0 before the runner took the first rollback step. */
  step: number;
  steps: number;
  phase: string;
  /** Hosts back on their old layout. */
  restored: number;
  flipped: number;
  frozen: number;
}

/** One rollout as the dashboard shows it (plan unknown: waves are left out, the rest still shows). */
export interface RolloutCardView {
  rollout: RelabelRollout;
  plan?: RelabelPlan;
  progress: RolloutProgress;
  /** Running, paused or aborting: shown expanded. */
  active: boolean;
  failures: RolloutFailureView[];
  waves: RolloutWaveView[];
  rollback?: RolloutRollbackView;
  /** Changes only when the record was written: what the live stream compares. */
  fingerprint: string;
}

const RANK: Record<RolloutHostState, number> = { failed: 0, 'in-flight': 1, pending: 2, expanded: 2, contracted: 2, restored: 2 };

export function viewRollout(rollout: RelabelRollout, plan?: RelabelPlan): RolloutCardView {
  const failures = rolloutFailures(rollout);
  const progress = rolloutProgress(rollout, plan, failures);
  const waves = (progress.waves ?? []).map((wave) => ({
    label: `${wave.kind === 'canary' ? 'Canary' : 'Wave'} ${wave.index}`,
    hosts: wave.hosts.map((h, order) => ({ h, order })).sort((a, b) => RANK[a.h.state] - RANK[b.h.state] || a.order - b.order).map(({ h }) => h),
    counts: wave.counts,
  }));
  return {
    rollout,
    ...(plan ? { plan } : {}),
    progress,
    active: ACTIVE_STATES.has(rollout.state),
    failures,
    waves,
    ...(rollout.state === 'aborting' || (rollout.state === 'aborted' && rollout.startedAt) ? { rollback: rollbackOf(rollout) } : {}),
    fingerprint: `${rollout.id}:${rollout.version}`,
  };
}

function rollbackOf(rollout: RelabelRollout): RolloutRollbackView {
  const hosts = Object.values(rollout.hosts);
  const index = (ROLLBACK_PHASES as readonly string[]).indexOf(rollout.phase);
  return {
    step: rollout.phase === 'finished' ? ROLLBACK_PHASES.length : index + 1,
    steps: ROLLBACK_PHASES.length,
    phase: rollout.phase,
    restored: hosts.filter((h) => h.layout === 'old' && !h.current).length,
    flipped: rollout.flipped.length,
    frozen: rollout.frozen.length,
  };
}
