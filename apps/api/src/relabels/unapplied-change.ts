import type { ZoneNetworkTopology } from '@hostnet/cloudstack';
import type { RelabelHostStep } from '@hostnet/contracts';
import type { HostSpecService } from '@hostnet/host-spec';
import { driftSummary } from '../drift/drift-result';
import type { HostPhase, HostStatusRecord } from '../hosts/host-status.types';
import type { RelabelRollout } from './relabel-rollout.types';

/** What changed beyond a relabel, and the dry-run that showed it (its diff is the change) when one did. */
export interface UnappliedChange {
  what: string;
  dryRun?: HostStatusRecord;
}

/** A run that applied its spec and proved it, or found nothing to change: the host holds that spec. */
const HOLDS_ITS_SPEC: ReadonlySet<HostPhase> = new Set<HostPhase>(['verified', 'enabled', 'no-op']);

/**
 * What changed in a host's intent that no run applied yet, from its history (newest first), or undefined
 * when its records show it holds the intent the zone and profiles give it now, or cannot tell (no record
 * that read the host, or one whose spec cannot be derived again). The newest record that read the host
 * decides: a dry-run of the current spec by what it found, a run by whether it applied the spec the host
 * would get now. No times in what it says: it is part of the plan's hash, which a later drift check of the
 * same change must not alter (a start would take it for a changed zone). `specNow(record)`: the hash the
 * record's run would have now (a relabel step's with its overlay, undefined when its rollout is unknown);
 * `current`: the host's own spec's hash now.
 */
export function unappliedChange(history: readonly HostStatusRecord[], current: string, specNow: (record: HostStatusRecord) => string | undefined): UnappliedChange | undefined {
  for (const record of history) {
    if (record.specHash === undefined) continue; // not a run of a spec (an add-host's pending record)
    if (record.dryRun) {
      // a dry-run that did not read the host through proves nothing either way
      if (record.outcome?.status !== 'dry-run' || record.drifted === undefined) continue;
      if (record.specHash !== current) return { what: changedSince('its last dry-run', record.specHash, current) };
      return record.drifted ? { what: `a dry-run of its spec now found the host differs from it: ${driftSummary(record.outcome)}`, dryRun: record } : undefined;
    }
    if (!HOLDS_ITS_SPEC.has(record.phase)) continue;
    const now = specNow(record);
    if (now === undefined) return undefined;
    return record.specHash === now ? undefined : { what: changedSince('its last run', record.specHash, now) };
  }
  return undefined;
}

function changedSince(what: string, was: string, now: string): string {
  return `${what} was of spec ${short(was)}, and the zone and profiles give it spec ${short(now)} now (a profile reload or a CloudStack change since)`;
}

function short(hash: string): string {
  return `${hash.slice(0, 12)}…`;
}

/**
 * Each host of `hostIds` with a change no run applied (`unappliedChange`): its spec now from `specs`, a
 * relabel step's record re-derived with its rollout's changes (of `rollouts`).
 */
export function unappliedChanges(
  hostIds: readonly string[],
  histories: ReadonlyMap<string, readonly HostStatusRecord[]>,
  topology: ZoneNetworkTopology,
  specs: HostSpecService,
  rollouts: readonly Pick<RelabelRollout, 'id' | 'changes'>[],
): Map<string, UnappliedChange> {
  const specHash = (hostId: string, relabel?: RelabelHostStep): string | undefined => {
    try {
      return specs.specFor(topology, hostId, relabel).specHash;
    } catch {
      return undefined; // no valid intent: the plan is refused for it elsewhere
    }
  };
  const changes = new Map<string, UnappliedChange>();
  for (const hostId of hostIds) {
    const current = specHash(hostId);
    if (current === undefined) continue;
    const specNow = (record: HostStatusRecord): string | undefined => {
      if (!record.relabel) return current;
      const rollout = rollouts.find((r) => r.id === record.relabel!.rolloutId);
      return rollout ? specHash(hostId, { ...record.relabel, changes: rollout.changes }) : undefined;
    };
    const change = unappliedChange(histories.get(hostId) ?? [], current, specNow);
    if (change !== undefined) changes.set(hostId, change);
  }
  return changes;
}
