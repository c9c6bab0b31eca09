import type { RecordedCall } from '@hostnet/simulator/cloudstack';
import type { HostStatusRecord } from '../../apps/api/src/hosts/host-status.types';

/** Figures of one rollout over every host of the zone. */
export interface RolloutFigures {
  /** From the rollout's start until the worker had reported every host's run. */
  workerMs: number;
  /** ceil(N / concurrency) × apply latency: what perfect parallelism would take (0 for a no-op). */
  idealMs: number;
  /** workerMs / idealMs (undefined when the ideal is 0). */
  ratioToIdeal?: number;
  /** Hosts run per second by the worker. */
  hostsPerSecond: number;
  /** Until api had recorded every host's final phase (enabled…); undefined when that took longer than the wait. */
  finalMs?: number;
  /** finalMs / idealMs. */
  finalRatioToIdeal?: number;
  /** Hosts with a final phase recorded when the wait ended (of `hosts`). */
  hostsFinal: number;
  hosts: number;
  /** Runs reported beyond one per host (retries after transient failures, re-runs). */
  extraRuns: number;
  /** When the last host saw its last SSH exec (ms after the start): the worker's share of the wall time. */
  sshDoneMs?: number;
  /** sshDoneMs / idealMs. */
  sshRatioToIdeal?: number;
  /** Host count by final run status (applied, no-op, rolled-back, failed). */
  outcomes: Record<string, number>;
  /** From each recorded run's outcome (hosts with a final phase): mean SSH round trips per host, by workflow stage and in total. */
  roundTripsPerHost: Record<string, number>;
  roundTripsMax: number;
  /** What the simulated hosts saw: SSH connections and exec requests, per host (mean). */
  sshConnectionsPerHost: number;
  sshExecsPerHost: number;
  cloudstack: { total: number; perHost: number; byCommand: Record<string, number> };
  /** Mean time per workflow stage (from each run's outcome), ms. */
  stageMsPerHost: Record<string, number>;
  /**
   * Where the wall time goes, from each host's history (ms after the rollout started, mean and max):
   * enqueued, result recorded by api (run finished), enabled in CloudStack.
   */
  timeline?: Record<'queued' | 'result' | 'enabled', { mean: number; max: number }>;
  /** Up to 5 hosts that did not end verified, with the reason recorded. */
  failures: { host: string; status: string; reason: string }[];
}

/** Per-host counters of a simulated host, before and after a rollout. */
export interface HostCounters {
  connections: number;
  execs: number;
}

/** Turns what was recorded during a rollout into its figures. */
export function rolloutFigures(input: {
  workerMs: number;
  finalMs?: number;
  extraRuns: number;
  hosts: number;
  idealMs: number;
  sshDoneMs?: number | undefined;
  records: HostStatusRecord[];
  /** Each host's history records of this rollout (any order). */
  histories?: HostStatusRecord[][];
  since?: number;
  before: HostCounters[];
  after: HostCounters[];
  calls: Pick<RecordedCall, 'command' | 'params'>[];
}): RolloutFigures {
  const n = Math.max(1, input.records.length);
  const outcomes: Record<string, number> = {};
  const sums: Record<string, number> = {};
  const stageSums: Record<string, number> = {};
  const failures: RolloutFigures['failures'] = [];
  let roundTripsMax = 0;
  for (const record of input.records) {
    const status = record.outcome?.status ?? record.phase;
    outcomes[status] = (outcomes[status] ?? 0) + 1;
    for (const [stage, count] of Object.entries(record.outcome?.roundTrips ?? {})) sums[stage] = (sums[stage] ?? 0) + count;
    for (const [stage, ms] of Object.entries(record.outcome?.durationsMs ?? {})) stageSums[stage] = (stageSums[stage] ?? 0) + ms;
    if (!['applied', 'no-op'].includes(status) && failures.length < 5) failures.push({ host: record.hostName, status, reason: record.reason ?? '' });
    roundTripsMax = Math.max(roundTripsMax, record.outcome?.roundTrips?.['total'] ?? 0);
  }
  const delta = (key: keyof HostCounters) => input.after.reduce((s, a, i) => s + a[key] - input.before[i]![key], 0) / input.after.length;
  const byCommand: Record<string, number> = {};
  for (const call of input.calls) {
    // One host's listHosts (an enable's read) apart from the listings of a zone (poller) or of every host.
    const key = (call.command || '(none)') + (call.command === 'listHosts' && call.params['id'] ? ' id=…' : '');
    byCommand[key] = (byCommand[key] ?? 0) + 1;
  }
  return {
    workerMs: input.workerMs,
    idealMs: input.idealMs,
    ...(input.idealMs > 0 ? { ratioToIdeal: input.workerMs / input.idealMs } : {}),
    hostsPerSecond: input.hosts / (input.workerMs / 1000),
    ...(input.finalMs !== undefined ? { finalMs: input.finalMs } : {}),
    ...(input.finalMs !== undefined && input.idealMs > 0 ? { finalRatioToIdeal: input.finalMs / input.idealMs } : {}),
    hostsFinal: input.records.length,
    hosts: input.hosts,
    extraRuns: input.extraRuns,
    ...(input.sshDoneMs !== undefined ? { sshDoneMs: input.sshDoneMs } : {}),
    ...(input.sshDoneMs !== undefined && input.idealMs > 0 ? { sshRatioToIdeal: input.sshDoneMs / input.idealMs } : {}),
    outcomes,
    roundTripsPerHost: Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / n])),
    roundTripsMax,
    sshConnectionsPerHost: delta('connections'),
    sshExecsPerHost: delta('execs'),
    cloudstack: { total: input.calls.length, perHost: input.calls.length / n, byCommand: sortByCount(byCommand) },
    stageMsPerHost: Object.fromEntries(Object.entries(stageSums).map(([k, v]) => [k, Math.round(v / n)])),
    failures,
    ...(input.histories && input.since !== undefined ? { timeline: timeline(input.histories, input.since) } : {}),
  };
}

function sortByCount(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}

function timeline(histories: HostStatusRecord[][], since: number): RolloutFigures['timeline'] {
  const marks = { queued: [] as number[], result: [] as number[], enabled: [] as number[] };
  for (const history of histories) {
    const at = (pick: (r: HostStatusRecord) => boolean) => {
      const times = history.filter((r) => Date.parse(r.at) >= since && pick(r)).map((r) => Date.parse(r.at) - since);
      return times.length > 0 ? Math.min(...times) : undefined;
    };
    const queued = at((r) => r.phase === 'queued');
    const result = at((r) => r.outcome !== undefined && r.phase !== 'enabled');
    const enabled = at((r) => r.phase === 'enabled');
    if (queued !== undefined) marks.queued.push(queued);
    if (result !== undefined) marks.result.push(result);
    if (enabled !== undefined) marks.enabled.push(enabled);
  }
  const stat = (xs: number[]) => ({ mean: xs.length ? Math.round(xs.reduce((a, b) => a + b, 0) / xs.length) : 0, max: xs.length ? Math.max(...xs) : 0 });
  return { queued: stat(marks.queued), result: stat(marks.result), enabled: stat(marks.enabled) };
}
