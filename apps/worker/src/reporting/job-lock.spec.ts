import { Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { stillHolds } from './job-lock';

describe('stillHolds: a worker reports only a job it still holds (real Redis, real BullMQ)', () => {
  const connection = { url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' };
  const prefix = `hostnet-joblock-${randomBytes(4).toString('hex')}`;
  const queue = new Queue('jobs', { connection, prefix });
  const worker = new Worker('jobs', null, { connection, prefix, autorun: false });
  const redis = new Redis(connection.url);
  afterAll(async () => {
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
    await redis.quit();
  });

  it('is true for the token the job was taken with (and extends its lock), false once another worker took it', async () => {
    await queue.add('run', { host: 'h1' }, { jobId: 'host-h1' });
    const job = (await worker.getNextJob('token-a'))!;
    expect(job.id).toBe('host-h1');
    await redis.pexpire(`${prefix}:jobs:host-h1:lock`, 1_000);
    expect(await stillHolds(job, 'token-a', 30_000)).toBe(true);
    expect(await redis.pttl(`${prefix}:jobs:host-h1:lock`)).toBeGreaterThan(25_000);
    // the job stalled: its lock expired and the stalled-job check handed it to worker B
    await redis.set(`${prefix}:jobs:host-h1:lock`, 'token-b');
    expect(await stillHolds(job, 'token-a', 30_000)).toBe(false);
    expect(await redis.get(`${prefix}:jobs:host-h1:lock`)).toBe('token-b');
  });
});
