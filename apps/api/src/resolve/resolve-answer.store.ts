import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { STATUS_PREFIX, STATUS_REDIS } from '../hosts/host-status.repository';
import type { HostStatusRecord } from '../hosts/host-status.types';

/** Long enough for any `--wait` and a look the next day; the history keeps what changed a host for good. */
const TTL_SECONDS = 7 * 24 * 3600;

/**
 * Each resolve's answer by its run id (GET /resolves/:runId): every resolve has one, while only a resolve that
 * changed its host (or found it stuck) goes into the host's history; "nothing to resolve" changes nothing there.
 */
@Injectable()
export class ResolveAnswerStore {
  constructor(
    @Inject(STATUS_REDIS) private readonly redis: Redis,
    @Inject(STATUS_PREFIX) private readonly prefix: string,
  ) {}

  async save(record: HostStatusRecord & { runId: string }): Promise<void> {
    await this.redis.set(this.key(record.runId), JSON.stringify(record), 'EX', TTL_SECONDS);
  }

  async get(runId: string): Promise<HostStatusRecord | undefined> {
    const json = await this.redis.get(this.key(runId));
    return json ? (JSON.parse(json) as HostStatusRecord) : undefined;
  }

  private key(runId: string): string {
    return `${this.prefix}:resolve-answer:${runId}`;
  }
}
