import { SshCommandNotStartedError, type ExecOptions, type ExecResult, type HostSession, type WarmConnection } from '@hostnet/ssh';
import type { HostConnectionFactory } from '../domain/workflow-plan';
import type { Clock } from './run-tracker';

/** How long a kept-open connection may take to start the run's first command before a new one is opened. */
export const WARM_OPEN_TIMEOUT_MS = 3000;

/**
 * Opens sessions through the factory, retries until a deadline, and closes everything it opened, or
 * gives a healthy one back to the endpoint's kept connection (`warm`) for the next run.
 */
export class SessionPool {
  private readonly open = new Set<HostSession>();
  lastError: unknown;

  constructor(
    private readonly connect: HostConnectionFactory,
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly warm?: WarmConnection,
  ) {}

  /** One connection attempt; errors propagate. */
  async connectOnce(): Promise<HostSession> {
    const session = await this.connect();
    this.open.add(session);
    return session;
  }

  /**
   * The run's first session: the connection a previous run kept open, else a new one. Only for a session
   * whose first command is safe to run twice (the facts script): a kept connection that does not start it
   * in time is dropped and the command runs on a new one.
   */
  async connectReusing(): Promise<HostSession> {
    const kept = this.warm?.take();
    if (!kept) return this.connectOnce();
    const session = new KeptSession(kept, this.connect);
    this.open.add(session);
    return session;
  }

  /**
   * A session opened now in place of a kept one, for what must prove the host as it is today (an apply, a
   * verify and confirm): its host key checked against known_hosts, its path new. Any other session is
   * returned as it is. When no new one can be opened the kept one is closed too: a host whose key changed,
   * or that refuses new connections, does not go on answering runs over an old connection.
   */
  async forChange(session: HostSession): Promise<HostSession> {
    if (!(session instanceof KeptSession)) return session;
    let fresh: HostSession;
    try {
      fresh = await this.connectOnce();
    } catch (err) {
      await this.discard(session);
      throw err;
    }
    await this.release(session);
    return fresh;
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

  /** Gives a healthy session back to the kept connection, or closes it without waiting long for one that may be dead. */
  async release(session: HostSession | undefined): Promise<void> {
    if (!session || !this.open.delete(session)) return;
    const underlying = session instanceof KeptSession ? session.current : session;
    if (this.warm?.park(underlying)) return;
    await this.closeQuickly(session);
  }

  private async closeQuickly(session: HostSession): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const giveUp = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, 2000);
    });
    await Promise.race([session.close().catch(() => undefined), giveUp]);
    clearTimeout(timer);
  }

  /** Closes a session without keeping it (one an apply ran on: the change may have cut its path). */
  async discard(session: HostSession | undefined): Promise<void> {
    if (!session || !this.open.delete(session)) return;
    await this.closeQuickly(session);
  }

  async releaseAll(): Promise<void> {
    await Promise.all([...this.open].map((s) => this.release(s)));
  }
}

/** A kept-open connection whose first command falls back to a new connection when the old one does not answer. */
class KeptSession implements HostSession {
  private tried = false;

  constructor(
    public current: HostSession,
    private readonly connect: HostConnectionFactory,
  ) {}

  get roundTrips(): number | undefined {
    return this.current.roundTrips;
  }

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    if (this.tried) return this.current.exec(command, options);
    this.tried = true;
    try {
      return await this.current.exec(command, { ...options, openTimeoutMs: options.openTimeoutMs ?? WARM_OPEN_TIMEOUT_MS });
    } catch (err) {
      if (!(err instanceof SshCommandNotStartedError)) throw err;
      await this.current.close().catch(() => undefined);
      this.current = await this.connect();
      return this.current.exec(command, options);
    }
  }

  close(): Promise<void> {
    return this.current.close();
  }
}
