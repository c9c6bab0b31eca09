import type { OnModuleDestroy } from '@nestjs/common';
import type Redis from 'ioredis';
import type { HostRunSpec, RunHost } from '@hostnet/host-spec';

/**
 * Long enough for any job still queued (a large rollout, retries with backoff); every enqueue writes
 * the entry again, so a spec in use never lapses while its jobs wait.
 */
export const RUN_SPEC_TTL_SECONDS = 7 * 24 * 3600;

/**
 * api's hand-over to the worker in Redis: run specs by spec hash (written before a configure job is
 * enqueued) and a host's SSH placement by host id (written before a resolve job is enqueued). Values are
 * topology-derived (bridges, addresses): no secrets.
 */
export class HostRunSpecRepository implements OnModuleDestroy {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async saveSpec(spec: HostRunSpec): Promise<void> {
    await this.redis.set(this.specKey(spec.specHash), JSON.stringify(spec), 'EX', RUN_SPEC_TTL_SECONDS);
  }

  async spec(specHash: string): Promise<HostRunSpec | undefined> {
    return parse<HostRunSpec>(await this.redis.get(this.specKey(specHash)));
  }

  async saveHost(host: RunHost): Promise<void> {
    await this.redis.set(this.hostKey(host.id), JSON.stringify(host), 'EX', RUN_SPEC_TTL_SECONDS);
  }

  async host(hostId: string): Promise<RunHost | undefined> {
    return parse<RunHost>(await this.redis.get(this.hostKey(hostId)));
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }

  private specKey(specHash: string): string {
    return `${this.prefix}:run-spec:${specHash}`;
  }

  private hostKey(hostId: string): string {
    return `${this.prefix}:run-host:${hostId}`;
  }
}

function parse<T>(text: string | null): T | undefined {
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
