/** Counts HTTP requests per CloudStack command (every attempt counts, retries included). */
export class CallCounter {
  private readonly counts = new Map<string, number>();

  /** Records one request for `command`. */
  record(command: string): void {
    this.counts.set(command, (this.counts.get(command) ?? 0) + 1);
  }

  /** Requests sent for one command. */
  count(command: string): number {
    return this.counts.get(command) ?? 0;
  }

  /** Requests sent across all commands. */
  get total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }

  /** A copy of the counts, keyed by command name as sent (e.g. `listHosts`). */
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  /** Forgets every count. */
  reset(): void {
    this.counts.clear();
  }
}
