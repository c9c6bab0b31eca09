import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { HOST_RUN_STATUSES, type ApplyOutcomeSummary } from '@hostnet/contracts';
import { RENDER_TARGETS } from '@hostnet/render';
import { HostnetMetrics } from '@hostnet/platform';

/** The target a run that failed before rendering is counted under: no SSH session, so no OS was detected to pick one. */
const NO_TARGET = 'unknown';

/** Host runs take seconds to minutes: facts in ms, an apply waits on link negotiation and verify. */
const RUN_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600];

/**
 * Run outcomes as api accepts them (one observation per run, not per result retry): how long runs
 * and their phases took on each target, how they ended, and how often a host rolled back.
 */
@Injectable()
export class RunMetrics {
  private readonly results: Counter<'status' | 'target'>;
  private readonly runDuration: Histogram<'target' | 'status'>;
  private readonly phaseDuration: Histogram<'target' | 'phase'>;
  private readonly rollbacks: Counter<'target'>;

  constructor(metrics: HostnetMetrics) {
    const registers = [metrics.registry];
    this.results = new Counter({
      name: 'hostnet_host_runs_total',
      help: 'Host runs whose result api recorded, by final status and target (target "unknown": failed before it rendered, e.g. the host unreachable over SSH, so no OS was detected)',
      labelNames: ['status', 'target'],
      registers,
    });
    this.runDuration = new Histogram({
      name: 'hostnet_host_run_duration_seconds',
      help: 'Worker time of one host run (facts + render + apply + verify + confirm) by target and status',
      labelNames: ['target', 'status'],
      buckets: RUN_BUCKETS,
      registers,
    });
    this.phaseDuration = new Histogram({
      name: 'hostnet_host_run_phase_duration_seconds',
      help: 'Duration of each phase of a host run by target',
      labelNames: ['target', 'phase'],
      buckets: RUN_BUCKETS,
      registers,
    });
    this.rollbacks = new Counter({
      name: 'hostnet_rollbacks_total',
      help: 'Host runs that ended with their previous network config restored, by target',
      labelNames: ['target'],
      registers,
    });
    this.startAtZero();
  }

  /**
   * Every series a panel sums or rates, at 0 from the start: a counter first seen at its first event reads "No data"
   * in Grafana until then (and a rate over it is empty for a while after), not 0.
   */
  private startAtZero(): void {
    for (const target of RENDER_TARGETS) {
      for (const status of HOST_RUN_STATUSES) this.results.inc({ status, target }, 0);
      this.rollbacks.inc({ target }, 0);
    }
    this.results.inc({ status: 'failed', target: NO_TARGET }, 0);
  }

  /** Called once per run, when api records its result. */
  observe(outcome: ApplyOutcomeSummary): void {
    const target = outcome.target ?? NO_TARGET;
    this.results.inc({ status: outcome.status, target });
    // a restore nobody saw (host unreachable) is presumed, not one that ended with the config restored
    if (outcome.status === 'rolled-back' || (outcome.rollback?.triggered && !outcome.rollback.unconfirmed)) this.rollbacks.inc({ target });
    const phases = Object.entries(outcome.durationsMs ?? {}).filter(([, ms]) => Number.isFinite(ms));
    if (phases.length === 0) return; // a run that failed before its workflow started has no timings
    for (const [phase, ms] of phases) this.phaseDuration.observe({ target, phase }, ms / 1000);
    const totalMs = phases.reduce((sum, [, ms]) => sum + ms, 0);
    this.runDuration.observe({ target, status: outcome.status }, totalMs / 1000);
  }
}
