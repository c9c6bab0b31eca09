import type { HostStatusRecord } from '../../apps/api/src/hosts/host-status.types';
import type { ResultTimes } from './queue-probe';

/** How far api was behind the worker in one rollout, from each host's result job and history. */
export interface ResultLag {
  /** Results the worker reported in the rollout. */
  results: number;
  /** Reported results whose run api had not recorded when the rollout's wait ended. */
  unrecorded: number;
  /** Worker reported the result → api recorded the run's outcome in the host's status, ms. */
  recordMeanMs: number;
  recordMaxMs: number;
  /** Worker reported the result → api was done with it (enabling the host included), max, ms. */
  handledMaxMs: number;
  /** Worker reported the result → api took it off the queue, max, ms: the part of the lag spent waiting. */
  pickupMaxMs: number;
  /** api's event loop's longest delay in the rollout (api runs in the bench process), ms. */
  apiLoopDelayMaxMs?: number;
}

/**
 * Pairs each host's last reported result of the rollout with the first history record carrying a run
 * outcome at or after it (an enable record that follows does not count: the result was recorded earlier).
 */
export function resultLag(times: ResultTimes[], histories: HostStatusRecord[][]): ResultLag {
  const byHost = new Map<string, ResultTimes>();
  for (const t of times) if ((byHost.get(t.hostId)?.reportedAt ?? -1) < t.reportedAt) byHost.set(t.hostId, t);
  const historyOf = new Map(histories.filter((h) => h.length > 0).map((h) => [h[0]!.hostId, h]));
  const lags: number[] = [];
  let handledMaxMs = 0;
  let pickupMaxMs = 0;
  let unrecorded = 0;
  for (const [hostId, t] of byHost) {
    const recorded = (historyOf.get(hostId) ?? [])
      .filter((r) => r.outcome !== undefined && r.phase !== 'enabled' && Date.parse(r.at) >= t.reportedAt - 1)
      .map((r) => Date.parse(r.at));
    if (recorded.length === 0) unrecorded += 1;
    else lags.push(Math.max(0, Math.min(...recorded) - t.reportedAt));
    if (t.handledAt !== undefined) handledMaxMs = Math.max(handledMaxMs, t.handledAt - t.reportedAt);
    if (t.pickedUpAt !== undefined) pickupMaxMs = Math.max(pickupMaxMs, t.pickedUpAt - t.reportedAt);
  }
  return {
    results: byHost.size,
    unrecorded,
    recordMeanMs: lags.length > 0 ? Math.round(lags.reduce((a, b) => a + b, 0) / lags.length) : 0,
    recordMaxMs: lags.length > 0 ? Math.max(...lags) : 0,
    handledMaxMs,
    pickupMaxMs,
  };
}
