import type { HostStatusRecord } from '../hosts/host-status.types';
import { ENABLE_WITHHELD } from './not-enabled';

/** What one record of a host says about a Disabled host: that someone chose it, and how it knows. */
export type DisabledByChoice =
  /** hostnet (or a rollout giving the host back) enabled it at `at`: Disabled now, someone disabled it since. */
  | { kind: 'enabled'; at: string }
  /** A relabel rollout ran it and gave it back the state it had. */
  | { kind: 'relabel'; rolloutId: string; phase: HostStatusRecord['phase'] }
  /** A run of it already withheld the enable, for this reason. */
  | { kind: 'withheld'; why: string };

/** The fields the rule reads: a whole record, or the poller's brief of the latest one. */
export interface AllocationEvidence {
  phase: HostStatusRecord['phase'];
  at: string;
  reason?: string;
  relabelRolloutId?: string;
  dryRun?: true;
}

/**
 * The one rule of "Disabled by choice", for one record: hostnet enables a host Disabled by its own flow, and leaves
 * one Disabled that someone chose to have so. Undefined when the record says nothing of it (a run queued, failed…,
 * or a dry-run's, which keeps the phase it found). The poller holds a host on its latest record alone
 * (poller/operator-hold.ts, briefs only, every pass); a trigger withholds the enable on the newest record of the
 * history that says anything (triggers/run-allocation.ts).
 */
export function disabledByChoiceIn(record: AllocationEvidence): DisabledByChoice | undefined {
  if (record.dryRun) return undefined;
  if (record.phase === 'enabled') return { kind: 'enabled', at: record.at };
  if (record.relabelRolloutId !== undefined) return { kind: 'relabel', rolloutId: record.relabelRolloutId, phase: record.phase };
  if (record.reason?.startsWith(ENABLE_WITHHELD)) return { kind: 'withheld', why: record.reason.slice(ENABLE_WITHHELD.length) };
  return undefined;
}
