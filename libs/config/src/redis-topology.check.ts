import type { HostnetEnv } from './env.schema';

type RedisTopologyEnv = Partial<Pick<HostnetEnv, 'QUEUE_PREFIX' | 'REDIS_CLUSTER_NODES' | 'REDIS_SENTINELS' | 'REDIS_SENTINEL_NAME'>>;

/**
 * Rules that span variables, each naming the fix: one topology at a time, a sentinel set with its
 * master's name, and a Cluster only with a hash-tag prefix. BullMQ's scripts touch several keys of a
 * queue at once, and hostnet's stores do the same, so every key must hash to one slot.
 */
export function redisTopologyProblems(env: RedisTopologyEnv): string[] {
  const problems: string[] = [];
  if (env.REDIS_CLUSTER_NODES && env.REDIS_SENTINELS) {
    problems.push('REDIS_CLUSTER_NODES and REDIS_SENTINELS are both set; unset one: hostnet talks to a Cluster or to a Sentinel-watched master, not both');
  }
  if (env.REDIS_SENTINELS && !env.REDIS_SENTINEL_NAME) {
    problems.push('REDIS_SENTINEL_NAME is required with REDIS_SENTINELS; set the master name the sentinels monitor (e.g. mymaster)');
  }
  if (env.REDIS_SENTINEL_NAME && !env.REDIS_SENTINELS) {
    problems.push('REDIS_SENTINEL_NAME is set without REDIS_SENTINELS; list the sentinels as host:port[,host:port…] or unset it');
  }
  if (env.REDIS_CLUSTER_NODES && env.QUEUE_PREFIX !== undefined && !env.QUEUE_PREFIX.startsWith('{')) {
    problems.push(
      'QUEUE_PREFIX must open with a hash tag when REDIS_CLUSTER_NODES is set, so every hostnet key lives in one slot; wrap the name in braces, e.g. QUEUE_PREFIX={hostnet}',
    );
  }
  return problems;
}
