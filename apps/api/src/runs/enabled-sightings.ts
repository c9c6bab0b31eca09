import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { STATUS_PREFIX, STATUS_REDIS } from '../hosts/host-status.repository';

/** Longer than any run lasts; a sighting older than the run it is compared with says nothing. */
const TTL_SECONDS = 7 * 24 * 3600;

/**
 * When hostnet last saw CloudStack list a host Enabled while a run of it was in flight (the poller's
 * listings). A host Disabled at its trigger, seen Enabled during the run and Disabled again at its result,
 * was disabled by someone meaning it: its run must not enable it (apps/api/src/jobs/enable-guard.ts).
 */
@Injectable()
export class EnabledSightings {
  constructor(
    @Inject(STATUS_REDIS) private readonly redis: Redis,
    @Inject(STATUS_PREFIX) private readonly prefix: string,
  ) {}

  async note(hostIds: readonly string[], at: string = new Date().toISOString()): Promise<void> {
    if (hostIds.length === 0) return;
    const batch = this.redis.pipeline();
    for (const id of hostIds) batch.set(this.key(id), at, 'EX', TTL_SECONDS);
    await batch.exec();
  }

  async lastAt(hostId: string): Promise<string | undefined> {
    return (await this.redis.get(this.key(hostId))) ?? undefined;
  }

  private key(hostId: string): string {
    return `${this.prefix}:enabled-seen:${hostId}`;
  }
}
