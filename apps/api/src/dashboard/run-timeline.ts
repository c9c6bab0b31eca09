import type { ApplyOutcomeSummary, JobTrigger } from '@hostnet/contracts';
import type { CloudStackCallRecord, HostPhase, HostStatusRecord } from '../hosts/host-status.types';

/** One stage of a run as the drawer shows it: when it happened and what it took. */
export interface RunStage {
  name: string;
  at?: string;
  durationMs?: number;
  detail?: string;
}

/** A host's run pieced together from its history records (they share a runId). */
export interface HostRun {
  runId?: string;
  trigger?: JobTrigger;
  /** Where the run ended up (or stands, while in flight). */
  phase: HostPhase;
  /** A dry-run's (its records say so): a refused one ends `failed` like an apply, so the drawer marks it. */
  dryRun?: true;
  startedAt: string;
  endedAt: string;
  stages: RunStage[];
  outcome?: ApplyOutcomeSummary;
  cloudstackCalls: CloudStackCallRecord[];
  /** CloudStack enable attempts: 1, plus one per retried failure recorded (BullMQ backs off between them). */
  enableAttempts: number;
  reason?: string;
}

/** The worker's stages, in run order (ApplyOutcomeSummary.durationsMs keys). */
const WORKER_STAGES = ['facts', 'render', 'apply', 'verify', 'confirm'];
const RESULT_PHASES = new Set<HostPhase>(['verified', 'no-op', 'dry-run', 'failed', 'rolled-back']);
const ENABLE_RETRY = /^enabling failed, will retry/;

/** Groups a host's history (newest first, as stored) into runs, newest first. */
export function runsOf(history: readonly HostStatusRecord[]): HostRun[] {
  const groups = new Map<string, HostStatusRecord[]>();
  for (const record of [...history].reverse()) {
    const key = record.runId ?? `record:${record.at}:${record.phase}`;
    groups.set(key, [...(groups.get(key) ?? []), record]);
  }
  return [...groups.values()].map(toRun).reverse();
}

/**
 * What a record says the run came to: a dry-run's result keeps the host's phase, so its outcome says it;
 * a dry-run's own bookkeeping (queued) keeps its phase.
 */
function runPhaseOf(record: HostStatusRecord): HostPhase {
  if (!record.dryRun) return record.phase;
  if (record.outcome?.status === 'dry-run') return 'dry-run';
  return record.phase === 'queued' || record.phase === 'applying' ? record.phase : 'failed';
}

function toRun(stored: HostStatusRecord[]): HostRun {
  const records = stored.map((r) => (r.dryRun ? { ...r, phase: runPhaseOf(r) } : r));
  const first = records[0]!;
  const last = records[records.length - 1]!;
  const find = (phase: HostPhase) => records.find((r) => r.phase === phase);
  const queued = find('queued');
  const applying = find('applying');
  const result = records.find((r) => RESULT_PHASES.has(r.phase) && r.outcome);
  const enable = records.find((r) => r.phase === 'enabled' || r.phase === 'enable-failed');
  const retries = records.filter((r) => ENABLE_RETRY.test(r.reason ?? ''));
  const outcome = [...records].reverse().find((r) => r.outcome)?.outcome;
  const trigger = first.trigger ?? last.trigger;

  const stages: RunStage[] = [];
  if (trigger) stages.push({ name: 'trigger', at: first.at, detail: [trigger.kind, trigger.by, trigger.detail].filter(Boolean).join(' · ') });
  if (queued) stages.push({ name: 'queued', at: queued.at });
  if (applying) stages.push({ name: 'taken by a worker', at: applying.at, ...gap(queued?.at, applying.at, 'waited in queue') });
  for (const stage of WORKER_STAGES) {
    const ms = outcome?.durationsMs?.[stage];
    if (!ms) continue;
    const trips = outcome?.roundTrips?.[stage];
    stages.push({ name: stage, durationMs: ms, ...(trips ? { detail: `${trips} round trip${trips === 1 ? '' : 's'}` } : {}) });
  }
  if (result) stages.push({ name: result.phase, at: result.at, ...gap(applying?.at ?? queued?.at, result.at, 'since start') });
  if (enable) {
    const attempts = retries.length + 1;
    if (enable.relabel && enable.phase === 'enabled') {
      // The rollout owns a relabelled host's allocation: this record is the host seen back Up and Enabled, not an Enable sent.
      stages.push({ name: 'back Up and Enabled', at: enable.at, ...gap(result?.at, enable.at, 'seen by the rollout') });
    } else if (enable.phase === 'enabled' && retries.length === 0 && (enable.cloudstackCalls ?? []).length === 0) {
      // no call was needed: CloudStack showed the host Enabled and Up already (a no-op on an enabled host)
      stages.push({ name: 'already Enabled in CloudStack', at: enable.at, ...gap(result?.at, enable.at, 'no call needed') });
    } else {
      stages.push({
        name: enable.phase === 'enabled' ? 'enabled in CloudStack' : 'enable failed',
        at: enable.at,
        ...gap(result?.at, enable.at, attempts > 1 ? `${attempts} attempts, retried with backoff` : '1 attempt'),
      });
    }
  }
  if (!result && !enable && !queued) stages.push({ name: last.phase, at: last.at });

  return {
    ...(last.runId ? { runId: last.runId } : {}),
    ...(trigger ? { trigger } : {}),
    phase: last.phase,
    ...(stored.some((r) => r.dryRun) ? { dryRun: true as const } : {}),
    startedAt: first.at,
    endedAt: last.at,
    stages,
    ...(outcome ? { outcome } : {}),
    cloudstackCalls: records.flatMap((r) => r.cloudstackCalls ?? []),
    enableAttempts: enable ? retries.length + 1 : retries.length,
    ...(last.reason ?? outcome?.reason ? { reason: last.reason ?? outcome?.reason } : {}),
  };
}

function gap(from: string | undefined, to: string, detail: string): Pick<RunStage, 'durationMs' | 'detail'> {
  if (!from) return { detail };
  return { durationMs: Math.max(0, Date.parse(to) - Date.parse(from)), detail };
}
