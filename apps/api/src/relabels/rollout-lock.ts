import type Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { releaseOwned, renewOwned } from '../runs/owned-key';
import { RolloutRecordError } from './rollout-record-error';

/** This runner's lock on the rollout is gone: it must stop, and record no failure of a host for it. */
export class RolloutLockLostError extends Error {
  override readonly name = 'RolloutLockLostError';
}

/** For catch sites that turn a CloudStack error into a host's failure: a lost lock or a call the rollout could not record is not one, it stops the runner. */
export function rethrowIfRunnerMustStop(error: unknown): void {
  if (error instanceof RolloutLockLostError || error instanceof RolloutRecordError) throw error;
}

/**
 * One runner per rollout across api replicas and restarts: a Redis key with the holder's token and an
 * expiry renewed while held. A crashed holder frees the rollout after `ttlMs`; a holder that fails to
 * renew (its key expired and someone else took it) learns so through `lost` and stops starting work.
 */
export class RolloutLock {
  private readonly token = randomUUID();
  private timer?: NodeJS.Timeout;
  private lostFlag = false;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly ttlMs: number,
  ) {}

  get lost(): boolean {
    return this.lostFlag;
  }

  async acquire(): Promise<boolean> {
    if ((await this.redis.set(this.key, this.token, 'PX', this.ttlMs, 'NX')) !== 'OK') return false;
    this.timer = setInterval(() => {
      void renewOwned(this.redis, this.key, this.token, this.ttlMs).then(
        (renewed) => {
          if (!renewed) this.lostFlag = true;
        },
        () => undefined,
      );
    }, Math.max(50, Math.floor(this.ttlMs / 3)));
    this.timer.unref();
    return true;
  }

  /**
   * Throws unless this holder's token is still the lock's: asked before every CloudStack mutation, so a
   * holder whose lock expired unnoticed (an event loop stalled, Redis out of reach past the expiry) sends
   * nothing beside the runner that took the rollout over. Narrows, does not fence: CloudStack takes no token.
   */
  async assertHeld(): Promise<void> {
    let holder: string | null;
    try {
      holder = await this.redis.get(this.key);
    } catch (error) {
      this.lostFlag = true;
      throw new RolloutLockLostError(`cannot tell whether this runner still holds the rollout (${(error as Error).message}); nothing sent to CloudStack`);
    }
    if (holder !== this.token) {
      this.lostFlag = true;
      throw new RolloutLockLostError(`this runner's lock on the rollout expired (${holder ? 'another runner holds it now' : 'nobody holds it now'}); nothing sent to CloudStack`);
    }
  }

  async release(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await releaseOwned(this.redis, this.key, this.token).catch(() => undefined);
  }
}
