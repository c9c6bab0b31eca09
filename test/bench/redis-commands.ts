import Redis from 'ioredis';

/** What a Redis server has done so far: commands run and CPU used (its own, every thread). */
export interface RedisWork {
  commands: number;
  cpuMs: number;
  /** Calls so far per command name (evalsha counts BullMQ's and ioredis's Lua scripts). */
  byCommand: Record<string, number>;
}

/** Counts the commands a Redis server has run (INFO commandstats) and its CPU (INFO cpu), for per-host figures. */
export class RedisCommandCounter {
  private constructor(private readonly redis: Redis) {}

  static create(redisUrl: string): RedisCommandCounter {
    return new RedisCommandCounter(new Redis(redisUrl, { maxRetriesPerRequest: null }));
  }

  /** Commands the server has run so far (every client; this INFO included) and its CPU. */
  async work(): Promise<RedisWork> {
    const info = await this.redis.info('cpu', 'commandstats');
    let commands = 0;
    const byCommand: Record<string, number> = {};
    for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
      commands += Number(match[2]);
      byCommand[match[1]!] = Number(match[2]);
    }
    const seconds = (name: string) => Number(new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info)?.[1] ?? NaN);
    return { commands, cpuMs: (seconds('used_cpu_user') + seconds('used_cpu_sys')) * 1000, byCommand };
  }

  close(): void {
    this.redis.disconnect();
  }
}
