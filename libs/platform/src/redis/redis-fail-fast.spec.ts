import type Redis from 'ioredis';
import { OwnRedis } from '../../../../test/support/own-redis';
import { connectRedis } from './redis-connection';
import { connectFailFast, isRedisOutage, RedisOutageAfterEffectError, redisOutageMessage } from './redis-fail-fast';

describe('connectFailFast: a client whose caller waits on each answer (real Redis, stopped and started again)', () => {
  let server: OwnRedis;
  let client: Redis;
  const key = `hostnet-fail-fast-${process.pid}`;

  beforeAll(async () => {
    server = await OwnRedis.start();
    client = await connectFailFast({ REDIS_URL: server.url }, 'fail-fast spec');
  });

  afterAll(async () => {
    client?.disconnect();
    await server?.remove();
  });

  it('answers while Redis does; refuses at once while it is down; sends nothing of it once Redis is back', async () => {
    expect(await client.ping()).toBe('PONG');
    await server.stop();
    await new Promise((r) => setTimeout(r, 200));

    const started = Date.now();
    const refused = await client.set(key, 'from the outage').catch((e: Error) => e);
    expect(Date.now() - started).toBeLessThan(500);
    expect(isRedisOutage(refused)).toBe(true);

    await server.up();
    const other = connectRedis({ REDIS_URL: server.url });
    try {
      await waitUntil(async () => (await client.ping().catch(() => '')) === 'PONG');
      expect(await other.get(key)).toBeNull(); // nothing kept in an offline queue and replayed on reconnect
    } finally {
      other.disconnect();
    }
  }, 30_000);

  it("a BullMQ client keeps waiting instead (maxRetriesPerRequest null): the worker's guarantees", () => {
    const bull = connectRedis({ REDIS_URL: server.url }, { lazyConnect: true });
    expect(bull.options).toMatchObject({ maxRetriesPerRequest: null, enableOfflineQueue: true });
    bull.disconnect();
  });

  it('answers a refused request with where Redis is, the fix, and that nothing will run later, never the password', () => {
    const message = redisOutageMessage({ REDIS_URL: 'redis://hostnet:s3cret@127.0.0.1:6395/0' });
    expect(message).toBe(
      'Redis at redis://127.0.0.1:6395/0 is unreachable, so hostnet can neither read nor record runs: this request queued nothing and nothing of it will run later; ' +
        'fix: start Redis there (or correct REDIS_URL), then ask again (GET /health answers redis: true once it is back)',
    );
    expect(isRedisOutage(new Error("Cluster isn't ready and enableOfflineQueue options is false"))).toBe(true);
    expect(isRedisOutage(new Error('ERR wrong number of arguments'))).toBe(false);
  });

  it('says what is known instead of "queued nothing" when the outage met the request after it may have queued something', () => {
    const error = new RedisOutageAfterEffectError('host h1 may have been queued', new Error('Connection is closed.'));
    expect(isRedisOutage(error)).toBe(true);
    expect(redisOutageMessage({ REDIS_URL: 'redis://127.0.0.1:6395' }, error)).toBe(
      'Redis at redis://127.0.0.1:6395 is unreachable, so hostnet can neither read nor record runs: host h1 may have been queued; ' +
        'fix: start Redis there (or correct REDIS_URL), then ask again (GET /health answers redis: true once it is back)',
    );
  });
});

async function waitUntil(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('the client did not reconnect in 10 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}
