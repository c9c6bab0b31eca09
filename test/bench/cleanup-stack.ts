/**
 * What the benchmark started, undone in reverse order exactly once: at the end of a section, on
 * failure, or on Ctrl-C (main wires SIGINT/SIGTERM to `run`).
 */
export class CleanupStack {
  private readonly steps: { what: string; fn: () => Promise<unknown> | unknown }[] = [];
  private running?: Promise<string[]>;

  defer(what: string, fn: () => Promise<unknown> | unknown): void {
    this.steps.push({ what, fn });
  }

  /** Runs every deferred step (newest first); returns the failures as "what: message". */
  run(): Promise<string[]> {
    this.running ??= (async () => {
      const failures: string[] = [];
      while (this.steps.length > 0) {
        const step = this.steps.pop()!;
        try {
          await step.fn();
        } catch (error) {
          failures.push(`${step.what}: ${(error as Error).message}`);
        }
      }
      this.running = undefined;
      return failures;
    })();
    return this.running;
  }
}
