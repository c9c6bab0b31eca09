import Redis from 'ioredis';

/** Counts the commands a Redis server has run (INFO commandstats), for per-host figures. */
export class RedisCommandCounter {
  private constructor(private readonly redis: Redis) {}

  static create(redisUrl: string): RedisCommandCounter {
    return new RedisCommandCounter(new Redis(redisUrl, { maxRetriesPerRequest: null }));
  }

  /** Commands the server has run so far (every client; this INFO included). */
  async total(): Promise<number> {
    const info = await this.redis.info('commandstats');
    let sum = 0;
    for (const match of info.matchAll(/^cmdstat_[^:]+:calls=(\d+)/gm)) sum += Number(match[1]);
    return sum;
  }

  close(): void {
    this.redis.disconnect();
  }
}
