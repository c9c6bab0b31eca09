import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { HostLock, HostLockLostError } from './host-lock';

describe('HostLock (real Redis)', () => {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `hostnet-lock-spec-${randomBytes(4).toString('hex')}`;
  const lock = new HostLock(redis, prefix);
  const key = (hostId: string) => `${prefix}:lock:host:${hostId}`;
  afterAll(async () => {
    await redis.del(key('h1'), key('h2'));
    await redis.quit();
  });

  it('lets one holder of a host in at a time, and frees the host when it throws', async () => {
    let inside = 0;
    let most = 0;
    const hold = () =>
      lock.withLock('h1', async () => {
        most = Math.max(most, ++inside);
        await new Promise((r) => setTimeout(r, 10));
        inside--;
      });
    await Promise.all([...Array.from({ length: 6 }, hold), lock.withLock('h1', () => Promise.reject(new Error('boom'))).catch(() => undefined)]);
    expect(most).toBe(1);
    expect(await redis.exists(key('h1'))).toBe(0);
  });

  it('does not keep other hosts waiting', async () => {
    let release!: () => void;
    const held = lock.withLock('h1', () => new Promise<void>((r) => (release = r)));
    await expect(lock.withLock('h2', async () => 'other host')).resolves.toBe('other host');
    release();
    await held;
  });

  it('holds its key with an expiry, and never deletes a lock that is no longer its own', async () => {
    await lock.withLock('h1', async () => {
      expect(await redis.pttl(key('h1'))).toBeGreaterThan(0);
      await redis.set(key('h1'), 'someone-else'); // as if ours expired and another holder took it
    });
    expect(await redis.get(key('h1'))).toBe('someone-else');
  });

  it("tells its holder, before an effect outside Redis, when the lock is no longer its own", async () => {
    await lock.withLock('h2', async (lease) => {
      await expect(lease.assertHeld()).resolves.toBeUndefined();
      await redis.set(key('h2'), 'someone-else'); // ours expired while Redis was out of reach, and another handler took it
      await expect(lease.assertHeld()).rejects.toThrow(new HostLockLostError("host h2's lock expired while its result was handled (another handler holds it now); nothing sent to CloudStack"));
      await redis.del(key('h2'));
      await expect(lease.assertHeld()).rejects.toThrow(/nobody holds it now/);
    });
  });
});
