import { MUTATING_COMMANDS, type RecordedCall } from '@hostnet/simulator/cloudstack';
import type { HostStatusRecord } from '../../apps/api/src/hosts/host-status.types';
import type { HostStepPurpose, HostStepRecord } from '../../apps/api/src/relabels/relabel-rollout.types';
import type { RolloutView } from '../../apps/api/src/relabels/relabels.service';

/** One host phase of the rollout: how long it took against hosts-at-once rounds × its median host step. */
export interface RelabelPhaseFigures {
  steps: number;
  /** Rounds of host steps perfect parallelism needs: ceil(hosts / hosts at once) for expand and switch, the waves for contract. */
  rounds: number;
  /** Median duration of one host step of this phase (start → verified and the host back), less its wait for a worker slot, ms. */
  medianStepMs: number;
  /** Median wait of a step's run for a worker slot (queued → applying): time the ideal does not count. */
  medianQueueWaitMs: number;
  idealMs: number;
  /** First step started → last step ended, ms. */
  wallMs: number;
}

export interface RelabelRolloutFigures {
  /** POST start → the record's endedAt, ms. */
  rolloutMs: number;
  /** Canary waves + waves of the contract phase. */
  waves: number;
  canaryWaves: number;
  largestWave: number;
  expand: RelabelPhaseFigures;
  switch: RelabelPhaseFigures;
  contract: RelabelPhaseFigures;
  /** Σ rounds × median step over the phases: what the rollout takes with no wait between host steps. */
  idealMs: number;
  ratioToIdeal: number;
  /** The canary's contract step ran alone: the uncontended host step, and the ideal with it. */
  canaryStepMs: number;
  idealAtCanaryStepMs: number;
  ratioToCanaryIdeal: number;
}

export interface RelabelCallFigures {
  total: number;
  perHost: number;
  /** By command (listHosts of one host apart from listings), most first. */
  byCommand: Record<string, number>;
  /** Mutating calls the simulator received, and the plan's own list of them (plan.calls): a ratio of 1 is no retry, no extra. */
  mutations: number;
  mutationsPerHost: number;
  planned: number;
}

/** Hosts at once: the runner's pool for expand and switch, the worker's concurrency for every run. */
export interface RelabelParallelism {
  runnerConcurrency: number;
  workerConcurrency: number;
}

/** queued → applying of every run in the hosts' histories (api records both), by run id, ms. */
export function queueWaits(histories: HostStatusRecord[][]): Map<string, number> {
  const records = histories.flat();
  const applying = new Map(records.filter((r) => r.runId && r.phase === 'applying').map((r) => [r.runId!, Date.parse(r.at)]));
  const waits = new Map<string, number>();
  for (const record of records) {
    const started = applying.get(record.runId ?? '');
    if (record.phase === 'queued' && started !== undefined) waits.set(record.runId!, Math.max(0, started - Date.parse(record.at)));
  }
  return waits;
}

/** Turns the ended rollout (GET /relabels/:id) into its time figures; `waits` from queueWaits. */
export function relabelRolloutFigures(view: RolloutView, startMs: number, p: RelabelParallelism, waits = new Map<string, number>()): RelabelRolloutFigures {
  const plain = Math.min(p.runnerConcurrency, p.workerConcurrency);
  const expand = phase(view, 'expand', Math.ceil(view.plan.expand.length / plain), waits);
  const switchPhase = phase(view, 'switch', Math.ceil(view.plan.switch.length / plain), waits);
  // The runner starts a wave's hosts at once (the plan bounds them per cluster): one round a wave; a run's
  // wait for a worker slot is already left out of its step.
  const contractRounds = view.plan.waves.length;
  const contract = phase(view, 'contract', contractRounds, waits);
  const canaryHosts = new Set(view.plan.waves.filter((w) => w.kind === 'canary').flatMap((w) => w.steps.map((s) => s.hostId)));
  const canaryStepMs = median(steps(view, 'contract', (hostId) => canaryHosts.has(hostId)).map((s) => service(s, waits)));
  const idealMs = expand.idealMs + switchPhase.idealMs + contract.idealMs;
  const rolloutMs = Date.parse(view.endedAt ?? view.updatedAt) - startMs;
  // Expand's step has no maintenance: at the canary's step time it would be overstated, so it keeps its own median.
  const idealAtCanaryStepMs = expand.idealMs + switchPhase.idealMs + contractRounds * canaryStepMs;
  return {
    rolloutMs,
    waves: view.plan.waves.length,
    canaryWaves: canaryHosts.size,
    largestWave: Math.max(0, ...view.plan.waves.map((w) => w.steps.length)),
    expand,
    switch: switchPhase,
    contract,
    idealMs,
    ratioToIdeal: idealMs > 0 ? rolloutMs / idealMs : 0,
    canaryStepMs,
    idealAtCanaryStepMs,
    ratioToCanaryIdeal: idealAtCanaryStepMs > 0 ? rolloutMs / idealAtCanaryStepMs : 0,
  };
}

/** What the simulator received during the rollout, by command, in total and per host in scope. */
export function relabelCallFigures(calls: RecordedCall[], hosts: number, planned: number): RelabelCallFigures {
  const byCommand = new Map<string, number>();
  for (const c of calls) {
    const name = `${c.command || '(none)'}${c.command === 'listHosts' && c.params['id'] ? ' id=…' : ''}`;
    byCommand.set(name, (byCommand.get(name) ?? 0) + 1);
  }
  const mutations = calls.filter((c) => MUTATING_COMMANDS.has(c.command)).length;
  const n = Math.max(1, hosts);
  return {
    total: calls.length,
    perHost: calls.length / n,
    byCommand: Object.fromEntries([...byCommand].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))),
    mutations,
    mutationsPerHost: mutations / n,
    planned,
  };
}

export function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function phase(view: RolloutView, purpose: HostStepPurpose, rounds: number, waits: Map<string, number>): RelabelPhaseFigures {
  const done = steps(view, purpose, () => true);
  const medianStepMs = median(done.map((s) => service(s, waits)));
  const starts = done.map((s) => Date.parse(s.startedAt));
  const ends = done.map((s) => Date.parse(s.endedAt!));
  return {
    steps: done.length,
    rounds,
    medianStepMs,
    medianQueueWaitMs: median(done.map((s) => waits.get(s.runId ?? '') ?? 0)),
    idealMs: rounds * medianStepMs,
    wallMs: done.length > 0 ? Math.max(...ends) - Math.min(...starts) : 0,
  };
}

function steps(view: RolloutView, purpose: HostStepPurpose, host: (hostId: string) => boolean): HostStepRecord[] {
  return Object.values(view.hosts)
    .filter((h) => host(h.hostId))
    .flatMap((h) => h.steps.filter((s) => s.purpose === purpose && s.endedAt));
}

/** A step's own time: start → end, less its run's wait for a worker slot. */
function service(step: HostStepRecord, waits: Map<string, number>): number {
  return Date.parse(step.endedAt!) - Date.parse(step.startedAt) - (waits.get(step.runId ?? '') ?? 0);
}
