import { shellQuote } from '@hostnet/ssh';
import type { LeanHostDir } from './lean-host-dir';

/**
 * The rollback watcher of a run the lean model armed, as a timer instead of a shell that wakes every
 * second: at the run's deadline (re-read then, as the watcher re-reads it, on the time since boot), if the
 * run is still armed, it runs the run's real restore.sh in `watch` mode, which finds the deadline passed and restores.
 */
export class LeanWatcher {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly host: LeanHostDir,
    /** Runs a command line in a real shell on the host, in turn with the lean model's own answers. */
    private readonly shellInTurn: (command: string) => Promise<unknown>,
  ) {}

  /** (Re)starts the timer on the run's deadline on disk. */
  arm(run: string): void {
    this.disarm(run);
    const dueMs = this.host.deadlineLeftCs(run) * 10;
    const timer = setTimeout(() => void this.due(run), Math.max(0, dueMs) + 50);
    timer.unref();
    this.timers.set(run, timer);
  }

  disarm(run: string): void {
    clearTimeout(this.timers.get(run));
    this.timers.delete(run);
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private async due(run: string): Promise<void> {
    this.timers.delete(run);
    const state = this.host.state();
    if (state.runId !== run || state.phase !== 'armed') return;
    if (this.host.deadlineLeftCs(run) > 0) return this.arm(run);
    const dir = this.host.runDir(run);
    await this.shellInTurn(`sh ${shellQuote(`${dir}/restore.sh`)} ${shellQuote(dir)} watch timer < /dev/null > ${shellQuote(`${dir}/restore.log`)} 2>&1`);
  }
}
