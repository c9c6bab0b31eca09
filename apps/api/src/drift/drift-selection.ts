import type { KvmHost } from '@hostnet/cloudstack/domain/zone-network-topology';
import type { HostStatusRecord } from '../hosts/host-status.types';
import type { InFlightRun } from '../runs/host-run.registry';
import { DRIFT_CHECKED_PHASES } from './drift-result';

/** One host as a drift pass sees it: CloudStack's view, hostnet's latest record, the run in flight. */
export interface DriftCandidate {
  host: KvmHost;
  latest: HostStatusRecord | undefined;
  run: InFlightRun | undefined;
}

export interface DriftLimits {
  nowMs: number;
  /** A host is due once its latest record is this old. */
  intervalMs: number;
  /** Drift checks allowed in flight at once (all zones). */
  maxInFlight: number;
  /** Drift checks one pass may start. */
  maxPerPass: number;
}

export interface DriftSelection {
  /** Hosts to check now, the longest unchecked first. */
  due: KvmHost[];
  /** Drift checks already in flight (counted against maxInFlight). */
  inFlight: number;
  /** Hosts that were due but left for a later pass (cap or rate). */
  deferred: number;
}

/** Why a host gets no drift check, or undefined when one is due. */
export function driftSkipReason(c: DriftCandidate, nowMs: number, intervalMs: number): string | undefined {
  const { host, latest, run } = c;
  if (host.resourceState !== 'Enabled' || host.state !== 'Up') return `host is ${host.state}/${host.resourceState}`;
  if (!latest) return 'hostnet has no record of the host';
  if (!DRIFT_CHECKED_PHASES.has(latest.phase)) return `latest run is ${latest.phase}`;
  if (run) return `run ${run.runId} in flight`;
  if (nowMs - Date.parse(latest.at) < intervalMs) return 'checked recently';
  return undefined;
}

/**
 * Which hosts a drift pass checks: Enabled and Up, latest record a completed run older than the
 * interval, nothing in flight; at most `maxInFlight` drift checks at once and `maxPerPass` started.
 */
export function selectForDrift(candidates: DriftCandidate[], limits: DriftLimits): DriftSelection {
  const inFlight = candidates.filter((c) => c.run?.trigger === 'drift').length;
  const due = candidates
    .filter((c) => driftSkipReason(c, limits.nowMs, limits.intervalMs) === undefined)
    .sort((a, b) => Date.parse(a.latest!.at) - Date.parse(b.latest!.at));
  const budget = Math.max(0, Math.min(limits.maxInFlight - inFlight, limits.maxPerPass));
  return { due: due.slice(0, budget).map((c) => c.host), inFlight, deferred: Math.max(0, due.length - budget) };
}
