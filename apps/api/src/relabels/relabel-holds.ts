import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { STATUS_PREFIX, STATUS_REDIS } from '../hosts/host-status.repository';

/**
 * Hosts a running relabel rollout owns, from start until it ends: any other trigger (poller, operator,
 * webhook) would derive the host's layout from CloudStack alone and could drop a bridge the rollout still
 * needs (before the flip the new one, after it the old one with VMs on it), so triggers skip held hosts.
 */
@Injectable()
export class RelabelHolds {
  constructor(
    @Inject(STATUS_REDIS) private readonly redis: Redis,
    @Inject(STATUS_PREFIX) private readonly prefix: string,
  ) {}

  /** The rollout holding `hostId`, if any. */
  async heldBy(hostId: string): Promise<string | undefined> {
    return (await this.redis.hget(this.key(), hostId)) ?? undefined;
  }

  async hold(rolloutId: string, hostIds: string[]): Promise<void> {
    if (hostIds.length === 0) return;
    await this.redis.hset(this.key(), Object.fromEntries(hostIds.map((id) => [id, rolloutId])));
  }

  /** Releases the hosts still held by `rolloutId` (a newer rollout's holds stay). */
  async release(rolloutId: string, hostIds: string[]): Promise<void> {
    for (const hostId of hostIds) {
      await this.redis.eval(`if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end return 0`, 1, this.key(), hostId, rolloutId);
    }
  }

  private key(): string {
    return `${this.prefix}:relabel:held`;
  }
}
