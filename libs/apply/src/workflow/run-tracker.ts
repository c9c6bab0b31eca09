import type { RoundTrips, WorkflowDurations } from '../domain/apply-outcome';

/** Time source, injectable so tests can shorten waits. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

type Stage = keyof WorkflowDurations;

/** Counts round trips and accumulates durations per stage of one run. */
export class RunTracker {
  readonly roundTrips: RoundTrips = { facts: 0, apply: 0, verify: 0, confirm: 0, total: 0 };
  readonly durationsMs: WorkflowDurations = { facts: 0, render: 0, apply: 0, verify: 0, confirm: 0 };

  constructor(private readonly clock: Clock) {}

  /** Times `work` under `stage`; counts one round trip unless the stage is local (render). */
  async time<T>(stage: Stage, work: () => Promise<T> | T): Promise<T> {
    const started = this.clock.now();
    if (stage !== 'render') {
      this.roundTrips[stage] += 1;
      this.roundTrips.total += 1;
    }
    try {
      return await work();
    } finally {
      this.durationsMs[stage] += this.clock.now() - started;
    }
  }
}
