import type { HostStatusRecord } from '../hosts/host-status.types';

/**
 * Why a host is listed before the rest: an end that waits for an operator, drift, a dry-run that could not complete
 * (the host unreachable, a refusal: its next run would stop the same way), or a run that stopped moving.
 */
export type AttentionReason = 'failed' | 'rolled-back' | 'enable-failed' | 'drifted' | 'check-incomplete' | 'stuck';

/** A run still queued or applying after this long has stopped moving (the worker's budgets are far shorter). */
export const STUCK_AFTER_MS = 15 * 60_000;

const PHASE_ATTENTION: Partial<Record<HostStatusRecord['phase'], AttentionReason>> = {
  failed: 'failed',
  'rolled-back': 'rolled-back',
  'enable-failed': 'enable-failed',
};

export function attentionOf(record: HostStatusRecord, nowMs: number, stuckAfterMs = STUCK_AFTER_MS): AttentionReason | undefined {
  const byPhase = PHASE_ATTENTION[record.phase];
  if (byPhase) return byPhase;
  // before drifted: an incomplete check keeps the verdict before it, which is no longer known to hold
  if (record.dryRunIncomplete) return 'check-incomplete';
  if (record.drifted) return 'drifted';
  if ((record.phase === 'queued' || record.phase === 'applying') && nowMs - Date.parse(record.at) > stuckAfterMs) return 'stuck';
  return undefined;
}
