/**
 * A run's stage as the dashboard sees it (BullMQ job progress), published only once the stage has lasted
 * `settleMs`. Each publish is a Lua call on Redis, a stream entry and an event every api parses; a no-op
 * run is over before anyone could read its "facts", and a change run spends its time in apply. Stages
 * that end sooner are not published at all; the job's own active/completed events still are.
 */
export class SettledProgress {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly publish: (stage: string) => void,
    private readonly settleMs: number,
  ) {}

  stage(stage: string): void {
    this.stop();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.publish(stage);
    }, this.settleMs);
    this.timer.unref();
  }

  /** The run ended: a stage not yet published never is. */
  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
