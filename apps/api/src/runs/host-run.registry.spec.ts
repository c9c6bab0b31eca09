import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { HostRunRegistry, type InFlightRun } from './host-run.registry';

describe('HostRunRegistry (real Redis)', () => {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `hostnet-runs-spec-${randomBytes(4).toString('hex')}`;
  const runs = new HostRunRegistry(redis, prefix);
  const run = (runId: string): InFlightRun => ({ runId, jobId: 'host-h1', mode: 'apply', specHash: 'spec', at: new Date().toISOString() });
  afterAll(async () => {
    await redis.del(`${prefix}:run:h1`);
    await redis.quit();
  });

  it('claims a free host once; later claims get the run in flight', async () => {
    const claims = await Promise.all(['a', 'b', 'c'].map((id) => runs.claim('h1', run(id))));
    const winners = claims.filter((c) => c === undefined);
    expect(winners).toHaveLength(1);
    const current = (await runs.current('h1'))!;
    expect(claims.filter(Boolean).map((c) => c!.runId)).toEqual([current.runId, current.runId]);
  });

  it('replaces and releases only the run the caller names', async () => {
    const current = (await runs.current('h1'))!;
    expect(await runs.replace('h1', 'not-it', run('x'))).toBe(false);
    expect(await runs.release('h1', 'not-it')).toBe(false);
    expect(await runs.replace('h1', current.runId, run('x'))).toBe(true);
    expect(await runs.release('h1', current.runId)).toBe(false);
    expect(await runs.release('h1', 'x')).toBe(true);
    expect(await runs.current('h1')).toBeUndefined();
    expect(await runs.claim('h1', run('y'))).toBeUndefined();
  });
});
