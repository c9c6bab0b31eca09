import { assertRedisReachable, RedisUnreachableError, whereRedisIs } from './redis-reachable';

describe('assertRedisReachable: an app starts only with its Redis answering', () => {
  it('resolves against a Redis that answers (real Redis)', async () => {
    await expect(assertRedisReachable({ REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' }, 5_000)).resolves.toBeUndefined();
  });

  it('names where Redis was expected, without credentials, and the variable to fix', async () => {
    const error = await assertRedisReachable({ REDIS_URL: 'redis://hostnet:s3cret-pw@127.0.0.1:1/2' }, 500).catch((e: Error) => e);
    expect(error).toBeInstanceOf(RedisUnreachableError);
    expect((error as Error).message).toMatch(/^cannot reach Redis at redis:\/\/127\.0\.0\.1:1\/2 within 0\.5 s \(.+\): start Redis there or fix REDIS_URL$/);
    expect((error as Error).message).not.toContain('s3cret-pw');
  });

  it('describes a Sentinel set or a Cluster by their nodes', () => {
    const nodes = [{ host: '127.0.0.1', port: 26379 }, { host: '127.0.0.2', port: 26379 }];
    expect(whereRedisIs({ REDIS_URL: 'redis://:pw@x:1', REDIS_SENTINELS: nodes, REDIS_SENTINEL_NAME: 'hostnet' })).toBe('the master hostnet of Sentinels 127.0.0.1:26379,127.0.0.2:26379');
    expect(whereRedisIs({ REDIS_URL: 'redis://:pw@x:1', REDIS_CLUSTER_NODES: nodes })).toBe('the Redis Cluster 127.0.0.1:26379,127.0.0.2:26379');
  });
});
