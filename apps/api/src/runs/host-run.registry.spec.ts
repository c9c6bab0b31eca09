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

  it("records an enable asked on the run until a result binds it, and the bind keeps it; a result's retry finds it bound", async () => {
    const ask = { allocation: { atTrigger: 'Disabled', enable: true, asked: true as const }, at: '2026-01-01T00:00:00.000Z' };
    expect(await runs.askEnable('h1', 'not-it', ask)).toBe('gone');
    expect(await runs.askEnable('h1', 'y', ask)).toBe('recorded');
    expect(await runs.bindResult('h1', 'not-it', 'result-1')).toBeUndefined();
    const bound = await runs.bindResult('h1', 'y', 'result-1');
    expect(bound).toEqual({ ...run('y'), at: bound!.at, resultJobId: 'result-1', enableAsked: ask });
    expect(await runs.askEnable('h1', 'y', ask)).toBe('result-taken');
    expect(await runs.bindResult('h1', 'y', 'result-2')).toMatchObject({ resultJobId: 'result-1' });
    expect(await runs.current('h1')).toEqual(bound);
  });
});
