import { Injectable } from '@nestjs/common';

interface Credentials {
  username: string;
  password: string;
  expiresAt: number;
}

const TTL_MS = 2 * 60 * 60 * 1000;

/**
 * addHost needs the host's SSH credentials for CloudStack's own login. They are a secret, so they
 * never enter a job payload or Redis: they wait here, in this api process's memory, until the host's
 * network is verified. If api restarts in between, the add is reported as needing a new request.
 */
@Injectable()
export class AddHostCredentialsStore {
  private readonly entries = new Map<string, Credentials>();

  put(hostId: string, credentials: { username: string; password: string }): void {
    this.sweep();
    this.entries.set(hostId, { ...credentials, expiresAt: Date.now() + TTL_MS });
  }

  /** Returns and forgets the credentials. */
  take(hostId: string): { username: string; password: string } | undefined {
    this.sweep();
    const entry = this.entries.get(hostId);
    this.entries.delete(hostId);
    return entry ? { username: entry.username, password: entry.password } : undefined;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, entry] of this.entries) if (entry.expiresAt < now) this.entries.delete(id);
  }
}
