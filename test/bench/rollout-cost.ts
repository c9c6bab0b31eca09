import type { RedisCommandCounter } from './redis-commands';

/** What one rollout cost hostnet's processes, per host. */
export interface RolloutCost {
  /** Worker process CPU (user + system from /proc), ms per host. */
  workerCpuMsPerHost: number;
  /** This process's CPU (api; the simulators run in their own process), bench's own reads subtracted, ms per host. */
  apiCpuMsPerHost: number;
  /** Commands the bench's Redis ran (INFO commandstats), bench's own reads subtracted, per host. */
  redisCommandsPerHost: number;
  /** The bench's Redis server's CPU (INFO cpu), ms per host; the bench's own reads are not taken out (see benchReads' commands). */
  redisCpuMsPerHost: number;
  /** The simulated zone's process and every command its hosts ran (reaped ones), ms per host: not hostnet's, but on the same cores. */
  simulatorsCpuMsPerHost: number;
  /** What was subtracted as the bench's own reads (queue probe, status reads, counter reads), per host. */
  benchReads: { cpuMsPerHost: number; redisCommandsPerHost: number };
  /** The most-run Redis commands, calls per host, most first (bench reads included: they are a few per poll). */
  redisTopCommandsPerHost: [command: string, perHost: number][];
}

/** How many of each read the bench made while waiting for a rollout. */
export interface BenchReads {
  /** Loop turns: one queue probe snapshot and one read of the hosts' counters each. */
  polls: number;
  /** Reads of every host's status from api's repository. */
  statusReads: number;
}

/** Cost of one bench read of each kind, measured on the idle zone after the rollouts. */
export interface ReadCost {
  poll: { cpuMs: number; redisCommands: number };
  statusRead: { cpuMs: number; redisCommands: number };
}

interface Mark {
  workerCpuMs: number;
  simulatorsCpuMs: number;
  ownCpuMs: number;
  redisCommands: number;
  redisCpuMs: number;
  redisByCommand: Record<string, number>;
}

/** Marks a rollout's start and end on the worker's, this process's and the simulators' CPU and on Redis's command count. */
export class RolloutCostMeter {
  constructor(
    private readonly workerCpuMs: () => number,
    private readonly redis: RedisCommandCounter,
    private readonly simulatorsCpuMs: () => number,
  ) {}

  async mark(): Promise<Mark> {
    const redis = await this.redis.work();
    return { workerCpuMs: this.workerCpuMs(), simulatorsCpuMs: this.simulatorsCpuMs(), ownCpuMs: ownCpuMs(), redisCommands: redis.commands, redisCpuMs: redis.cpuMs, redisByCommand: redis.byCommand };
  }

  /** The cost between two marks; bench reads are subtracted once `readCost` is known. */
  static cost(start: Mark, end: Mark, hosts: number, reads: BenchReads, readCost: ReadCost): RolloutCost {
    const readCpu = reads.polls * readCost.poll.cpuMs + reads.statusReads * readCost.statusRead.cpuMs;
    const readRedis = reads.polls * readCost.poll.redisCommands + reads.statusReads * readCost.statusRead.redisCommands;
    return {
      workerCpuMsPerHost: (end.workerCpuMs - start.workerCpuMs) / hosts,
      apiCpuMsPerHost: Math.max(0, end.ownCpuMs - start.ownCpuMs - readCpu) / hosts,
      redisCommandsPerHost: Math.max(0, end.redisCommands - start.redisCommands - readRedis) / hosts,
      redisCpuMsPerHost: (end.redisCpuMs - start.redisCpuMs) / hosts,
      simulatorsCpuMsPerHost: (end.simulatorsCpuMs - start.simulatorsCpuMs) / hosts,
      benchReads: { cpuMsPerHost: readCpu / hosts, redisCommandsPerHost: readRedis / hosts },
      redisTopCommandsPerHost: topCommands(start.redisByCommand, end.redisByCommand, hosts),
    };
  }

  /** Runs `read` `times` times and returns the mean CPU and Redis commands of one (the meter's INFO read excluded). */
  async readCost(read: () => Promise<unknown>, times = 5): Promise<{ cpuMs: number; redisCommands: number }> {
    const start = await this.mark();
    for (let i = 0; i < times; i++) await read();
    const end = await this.mark();
    return { cpuMs: (end.ownCpuMs - start.ownCpuMs) / times, redisCommands: (end.redisCommands - start.redisCommands - 1) / times };
  }
}

function topCommands(start: Record<string, number>, end: Record<string, number>, hosts: number, count = 8): [string, number][] {
  return Object.entries(end)
    .map(([name, calls]): [string, number] => [name, (calls - (start[name] ?? 0)) / hosts])
    .filter(([, perHost]) => perHost > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, count);
}

function ownCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
