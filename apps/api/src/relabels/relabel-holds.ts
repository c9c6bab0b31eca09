import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { STATUS_PREFIX, STATUS_REDIS } from '../hosts/host-status.repository';
import { relabelHeldKey, relabelZoneKey } from './relabel-keys';

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

  /**
   * The rollout holding the zone (RelabelZoneLock's key), if any: a host that joins or is run in it meanwhile
   * would get a layout from CloudStack's labels of the moment, not the rollout's, and no freeze or contract.
   */
  async zoneHeldBy(zoneId: string): Promise<string | undefined> {
    return (await this.redis.get(relabelZoneKey(this.prefix, zoneId))) ?? undefined;
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

  /**
   * Releases the holds of rollouts that ended (`ended` answers per rollout id): the ending write releases
   * them itself, so this only cleans up after an api that stopped between the two (older records).
   */
  async releaseEnded(ended: (rolloutId: string) => Promise<boolean>): Promise<number> {
    const held = await this.redis.hgetall(this.key());
    const byRollout = new Map<string, string[]>();
    for (const [hostId, rolloutId] of Object.entries(held)) byRollout.set(rolloutId, [...(byRollout.get(rolloutId) ?? []), hostId]);
    let released = 0;
    for (const [rolloutId, hostIds] of byRollout) {
      if (!(await ended(rolloutId))) continue;
      await this.release(rolloutId, hostIds);
      released += hostIds.length;
    }
    return released;
  }

  private key(): string {
    return relabelHeldKey(this.prefix);
  }
}
