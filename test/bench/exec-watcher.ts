/**
 * Follows the simulated hosts' exec counters and remembers when each last changed: the moment the
 * last host saw its last SSH exec is when the worker's part of a rollout ended, whatever api does next.
 */
export class ExecWatcher {
  private readonly last: number[];
  private readonly changedAt: (number | undefined)[];

  constructor(initial: number[]) {
    this.last = [...initial];
    this.changedAt = this.last.map(() => undefined);
  }

  /** Each host's exec counter, read at `now`. */
  sample(execs: number[], now = Date.now()): void {
    execs.forEach((count, i) => {
      if (count !== this.last[i]) (this.last[i] = count), (this.changedAt[i] = now);
    });
  }

  /** ms after `since` when the last host saw its last exec (undefined if none did). */
  lastExecMs(since: number): number | undefined {
    const times = this.changedAt.filter((t): t is number => t !== undefined);
    return times.length > 0 ? Math.max(...times) - since : undefined;
  }
}
