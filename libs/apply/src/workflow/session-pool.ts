import type { HostSession } from '@hostnet/ssh';
import type { HostConnectionFactory } from '../domain/workflow-plan';
import type { Clock } from './run-tracker';

/** Opens sessions through the factory, retries until a deadline, and closes everything it opened. */
export class SessionPool {
  private readonly open = new Set<HostSession>();
  lastError: unknown;

  constructor(
    private readonly connect: HostConnectionFactory,
    private readonly clock: Clock,
    private readonly intervalMs: number,
  ) {}

  /** One connection attempt; errors propagate. */
  async connectOnce(): Promise<HostSession> {
    const session = await this.connect();
    this.open.add(session);
    return session;
  }

  /**
   * Keeps trying to connect until `deadline` (epoch ms). Returns undefined when it could not, or at
   * once when the error is marked permanent (host-key mismatch, auth): waiting cannot fix those.
   */
  async connectUntil(deadline: number): Promise<HostSession | undefined> {
    for (;;) {
      try {
        return await this.connectOnce();
      } catch (err) {
        this.lastError = err;
        if ((err as { permanent?: boolean }).permanent === true) return undefined;
      }
      const wait = Math.min(this.intervalMs, deadline - this.clock.now());
      if (wait <= 0) return undefined;
      await this.clock.sleep(wait);
    }
  }

  /** Closes one session without waiting long for a connection that may already be dead. */
  async release(session: HostSession | undefined): Promise<void> {
    if (!session || !this.open.delete(session)) return;
    let timer: NodeJS.Timeout | undefined;
    const giveUp = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, 2000);
    });
    await Promise.race([session.close().catch(() => undefined), giveUp]);
    clearTimeout(timer);
  }

  async releaseAll(): Promise<void> {
    await Promise.all([...this.open].map((s) => this.release(s)));
  }
}
