import type { HostSession } from './host-session';
import type { SshEndpoint } from './host-session';

/** A session the cache can tell is gone: SshHostSession, or a test's fake. */
export type KeepableSession = HostSession & { readonly closed: boolean };

/** The idle connection of one endpoint, as one run sees it: take at most one at its start, give one back at its end. */
export interface WarmConnection {
  take(): KeepableSession | undefined;
  /** False when the session is not kept (caching off, or the session is gone): the caller closes it. */
  park(session: HostSession): boolean;
}

interface Idle {
  session: KeepableSession;
  timer: NodeJS.Timeout;
}

/**
 * A kept connection is given out for this long after it was first kept, at most: past it, the run connects
 * anew, which checks the host key against known_hosts again (a host re-keyed while runs keep coming is seen).
 */
export const KEPT_SESSION_MAX_AGE_MS = 10 * 60_000;

/**
 * Healthy SSH connections kept open between runs, at most one per endpoint, for `idleMs` (OpenSSH's
 * ControlPersist, for the worker): a zone re-run soon after a rollout skips a key exchange and sshd's
 * start per host, which on a fleet is most of a no-op's cost. The least recently parked are closed first
 * beyond `maxIdle`. A run takes a kept connection only for its first command (the facts script, safe to
 * run twice), never for the reconnect that proves a change kept the host reachable.
 */
export class WarmSessions {
  private readonly idle = new Map<string, Idle>();
  /** When each session was first kept. */
  private readonly keptSince = new WeakMap<KeepableSession, number>();
  private shut = false;
  /** Kept connections a run took (the worker's metrics read it). */
  reused = 0;

  constructor(
    private readonly idleMs: number,
    private readonly maxIdle: number,
    private readonly maxAgeMs = KEPT_SESSION_MAX_AGE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.idle.size;
  }

  /** The handle a run uses for `endpoint`'s kept connection. */
  forEndpoint(endpoint: SshEndpoint): WarmConnection {
    const key = endpointKey(endpoint);
    return { take: () => this.take(key), park: (session) => this.park(key, session) };
  }

  take(key: string): KeepableSession | undefined {
    const entry = this.idle.get(key);
    if (!entry) return undefined;
    this.idle.delete(key);
    clearTimeout(entry.timer);
    if (entry.session.closed) return undefined;
    if (this.now() - (this.keptSince.get(entry.session) ?? this.now()) >= this.maxAgeMs) {
      void this.closeQuietly(entry);
      return undefined;
    }
    this.reused += 1;
    return entry.session;
  }

  park(key: string, session: HostSession): boolean {
    if (this.shut || this.idleMs <= 0 || this.maxIdle <= 0 || !isKeepable(session) || session.closed) return false;
    const older = this.idle.get(key);
    if (older?.session === session) return true;
    if (older) this.drop(key, older);
    while (this.idle.size >= this.maxIdle) {
      const [oldestKey, oldest] = this.idle.entries().next().value as [string, Idle];
      this.drop(oldestKey, oldest);
    }
    if (!this.keptSince.has(session)) this.keptSince.set(session, this.now());
    const timer = setTimeout(() => {
      if (this.idle.get(key)?.session === session) this.drop(key, this.idle.get(key)!);
    }, this.idleMs);
    timer.unref();
    this.idle.set(key, { session, timer });
    return true;
  }

  /** Closes every kept connection and keeps none from now on (the worker's shutdown). */
  async closeAll(): Promise<void> {
    this.shut = true;
    const entries = [...this.idle.entries()];
    this.idle.clear();
    await Promise.all(entries.map(([, entry]) => this.closeQuietly(entry)));
  }

  private drop(key: string, entry: Idle): void {
    this.idle.delete(key);
    void this.closeQuietly(entry);
  }

  private async closeQuietly(entry: Idle): Promise<void> {
    clearTimeout(entry.timer);
    await entry.session.close().catch(() => undefined);
  }
}

/** Sessions of one endpoint are interchangeable only when everything that reaches and authenticates is the same. */
function endpointKey(endpoint: SshEndpoint): string {
  return JSON.stringify([endpoint.username, endpoint.host, endpoint.port, endpoint.privateKeyPath, endpoint.useSudo]);
}

function isKeepable(session: HostSession): session is KeepableSession {
  return typeof (session as Partial<KeepableSession>).closed === 'boolean';
}
