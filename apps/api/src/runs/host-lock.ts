import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { STATUS_PREFIX, STATUS_REDIS } from '../hosts/host-status.repository';
import { releaseOwned, renewOwned } from './owned-key';

/** Held this long unless renewed; a crashed holder frees the host after it. */
const TTL_MS = 30_000;
const RENEW_EVERY_MS = TTL_MS / 3;
/** Longer than any one result takes to handle (a reconnect waits on CloudStack's async job). */
const WAIT_MS = 120_000;

/** Another holder kept the host's lock for longer than a result ever takes. */
export class HostBusyError extends Error {
  override readonly name = 'HostBusyError';
  readonly permanent = false;
}

/** The holder's lock expired or was taken (its Redis was out of reach longer than the expiry): it must stop. */
export class HostLockLostError extends Error {
  override readonly name = 'HostLockLostError';
  readonly permanent = false;
}

/** What a holder asks before an effect outside Redis (a CloudStack mutation): is the host still mine? */
export interface HostLease {
  /** Resolves when this holder's token is still the lock's; throws HostLockLostError otherwise. */
  assertHeld(): Promise<void>;
}

/**
 * One holder at a time per host across api replicas and the results queue's concurrency: a Redis
 * key holding the owner's token, with an expiry renewed while held, released only by its owner.
 * A holder cut off from Redis for longer than the expiry loses the lock without knowing it: before a
 * CloudStack mutation it checks its lease, which narrows a first handler's late reconnect or enable beside
 * a second one's to the moment between that check and the call (not a fence: CloudStack takes no token).
 */
@Injectable()
export class HostLock {
  constructor(
    @Inject(STATUS_REDIS) private readonly redis: Redis,
    @Inject(STATUS_PREFIX) private readonly prefix: string,
  ) {}

  /** Whether someone holds each host's lock now (a result handler at work renews its own): one round trip. */
  async heldMany(hostIds: readonly string[]): Promise<boolean[]> {
    if (hostIds.length === 0) return [];
    const values = await this.redis.mget(hostIds.map((id) => this.key(id)));
    return values.map((v) => v !== null);
  }

  async withLock<T>(hostId: string, fn: (lease: HostLease) => Promise<T>): Promise<T> {
    const key = this.key(hostId);
    const token = randomUUID();
    const deadline = Date.now() + WAIT_MS;
    while ((await this.redis.set(key, token, 'PX', TTL_MS, 'NX')) !== 'OK') {
      if (Date.now() > deadline) throw new HostBusyError(`host ${hostId} stayed locked for ${WAIT_MS / 1000} s; will retry`);
      await new Promise((r) => setTimeout(r, 25 + Math.random() * 50));
    }
    const renew = setInterval(() => void renewOwned(this.redis, key, token, TTL_MS).catch(() => undefined), RENEW_EVERY_MS);
    const lease: HostLease = {
      assertHeld: async () => {
        let holder: string | null;
        try {
          holder = await this.redis.get(key);
        } catch (error) {
          throw new HostLockLostError(`cannot tell whether host ${hostId}'s lock is still held (${(error as Error).message}); nothing sent to CloudStack`);
        }
        if (holder !== token) {
          throw new HostLockLostError(`host ${hostId}'s lock expired while its result was handled (${holder ? 'another handler holds it now' : 'nobody holds it now'}); nothing sent to CloudStack`);
        }
      },
    };
    try {
      return await fn(lease);
    } finally {
      clearInterval(renew);
      await releaseOwned(this.redis, key, token).catch(() => undefined);
    }
  }

  private key(hostId: string): string {
    return `${this.prefix}:lock:host:${hostId}`;
  }
}
