import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { STATUS_PREFIX, STATUS_REDIS } from '../hosts/host-status.repository';

/** Held this long unless renewed; a crashed holder frees the host after it. */
const TTL_MS = 30_000;
const RENEW_EVERY_MS = TTL_MS / 3;
/** Longer than any one result takes to handle (a reconnect waits on CloudStack's async job). */
const WAIT_MS = 120_000;

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/** Another holder kept the host's lock for longer than a result ever takes. */
export class HostBusyError extends Error {
  override readonly name = 'HostBusyError';
  readonly permanent = false;
}

/**
 * One holder at a time per host across api replicas and the results queue's concurrency: a Redis
 * key holding the owner's token, with an expiry renewed while held, released only by its owner.
 */
@Injectable()
export class HostLock {
  constructor(
    @Inject(STATUS_REDIS) private readonly redis: Redis,
    @Inject(STATUS_PREFIX) private readonly prefix: string,
  ) {}

  async withLock<T>(hostId: string, fn: () => Promise<T>): Promise<T> {
    const key = `${this.prefix}:lock:host:${hostId}`;
    const token = randomUUID();
    const deadline = Date.now() + WAIT_MS;
    while ((await this.redis.set(key, token, 'PX', TTL_MS, 'NX')) !== 'OK') {
      if (Date.now() > deadline) throw new HostBusyError(`host ${hostId} stayed locked for ${WAIT_MS / 1000} s; will retry`);
      await new Promise((r) => setTimeout(r, 25 + Math.random() * 50));
    }
    const renew = setInterval(() => void this.redis.eval(RENEW, 1, key, token, TTL_MS).catch(() => undefined), RENEW_EVERY_MS);
    try {
      return await fn();
    } finally {
      clearInterval(renew);
      await this.redis.eval(RELEASE, 1, key, token).catch(() => undefined);
    }
  }
}
