import type { RelabelPlan } from '@hostnet/relabel';
import { ACTIVE_STATES, ROLLBACK_PHASES, type HostStepRecord, type RelabelRollout, type RolloutHost } from '../relabels/relabel-rollout.types';
import { rolloutProgress, type RolloutProgress } from '../relabels/rollout-progress';

/** How a host shows in the rollout view; `failed` and `in-flight` sort first. */
export type RolloutHostState = 'failed' | 'in-flight' | 'pending' | 'expanded' | 'contracted' | 'restored';

export interface RolloutHostView {
  hostId: string;
  hostName: string;
  state: RolloutHostState;
  /** The step in flight (`expand → both (maintenance)`), or the last failed step's purpose. */
  detail: string;
  /** A layout attempted and not verified: the host is as its own rollback left it. */
  unverified?: string;
}

/** A failed host with what the record keeps of its failure. */
export interface RolloutFailureView {
  hostId: string;
  hostName: string;
  /** Forward step or rollback step that failed. */
  step: string;
  runStatus?: string;
  runId?: string;
  reason: string;
  at?: string;
  /** A later step of the host verified (a resumed rollout retried it). */
  recovered: boolean;
  rollback: boolean;
}

export interface RolloutWaveView {
  /** `Canary 1`, `Wave 2`… in the plan's order. */
  label: string;
  hosts: RolloutHostView[];
  counts: { hosts: number; contracted: number; failed: number; inFlight: number };
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
  const failures = failuresOf(rollout);
  const failed = new Set(failures.filter((f) => !f.recovered).map((f) => f.hostId));
  const hostView = (host: RolloutHost): RolloutHostView => hostViewOf(host, failed.has(host.hostId));
  const waves = (plan?.waves ?? []).map((wave, i) => {
    const hosts = wave.steps.flatMap((s) => (rollout.hosts[s.hostId] ? [hostView(rollout.hosts[s.hostId]!)] : []));
    return {
      label: `${wave.kind === 'canary' ? 'Canary' : 'Wave'} ${i + 1}`,
      hosts: hosts.map((h, order) => ({ h, order })).sort((a, b) => RANK[a.h.state] - RANK[b.h.state] || a.order - b.order).map(({ h }) => h),
      counts: {
        hosts: hosts.length,
        contracted: hosts.filter((h) => rollout.hosts[h.hostId]!.layout === 'new').length,
        failed: hosts.filter((h) => h.state === 'failed').length,
        inFlight: hosts.filter((h) => h.state === 'in-flight').length,
      },
    };
  });
  return {
    rollout,
    ...(plan ? { plan } : {}),
    progress: rolloutProgress(rollout),
    active: ACTIVE_STATES.has(rollout.state),
    failures,
    waves,
    ...(rollout.state === 'aborting' || (rollout.state === 'aborted' && rollout.startedAt) ? { rollback: rollbackOf(rollout) } : {}),
    fingerprint: `${rollout.id}:${rollout.version}`,
  };
}

function hostViewOf(host: RolloutHost, failed: boolean): RolloutHostView {
  const unverified = host.unverified ? { unverified: host.unverified } : {};
  const base = { hostId: host.hostId, hostName: host.hostName, ...unverified };
  if (host.current) {
    const c = host.current;
    return { ...base, state: 'in-flight', detail: `${c.purpose} → ${c.layout}${c.stage ? ` (${c.stage})` : ''}` };
  }
  if (failed) return { ...base, state: 'failed', detail: lastFailed(host)?.purpose ?? '' };
  if (host.layout === 'new') return { ...base, state: 'contracted', detail: '' };
  if (host.layout === 'both') return { ...base, state: 'expanded', detail: '' };
  return { ...base, state: host.steps.length > 0 ? 'restored' : 'pending', detail: '' };
}

/** Hosts that failed a forward step at least once, then those whose rollback failed; each with its last failed step. */
function failuresOf(rollout: RelabelRollout): RolloutFailureView[] {
  const ids = [...new Set([...rollout.failedHosts, ...rollout.rollbackFailures])];
  return ids.flatMap((hostId) => {
    const host = rollout.hosts[hostId];
    if (!host) return [];
    const step = lastFailed(host);
    const later = step ? host.steps.slice(host.steps.indexOf(step) + 1) : [];
    return [
      {
        hostId,
        hostName: host.hostName,
        step: step?.purpose ?? '',
        ...(step?.runStatus ? { runStatus: step.runStatus } : {}),
        ...(step?.runId ? { runId: step.runId } : {}),
        reason: step?.reason ?? rollout.reason ?? '',
        ...(step?.endedAt ? { at: step.endedAt } : {}),
        recovered: !rollout.rollbackFailures.includes(hostId) && later.some((s) => s.result === 'verified'),
        rollback: rollout.rollbackFailures.includes(hostId),
      },
    ];
  });
}

function lastFailed(host: RolloutHost): HostStepRecord | undefined {
  return host.steps.filter((s) => s.result === 'failed').at(-1);
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
