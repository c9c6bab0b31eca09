import { Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import { firstValueFrom, take, toArray, type Subscription } from 'rxjs';
import { JobName, QueueName } from '@hostnet/contracts';
import { RecordedResultsSource } from '../../../apps/api/src/dashboard/recorded-results.source';
import { dropPrefix, REDIS_URL, uniquePrefix } from './api-extras.fixtures';

/** How many QueueEvents readers of the results queue under `prefix` are connected (BullMQ names their clients). */
async function readers(redis: Redis, prefix: string): Promise<number> {
  const name = `${prefix}:${Buffer.from(QueueName.HostResults).toString('base64')}:qe`;
  const list = await redis.client('LIST');
  return String(list).split('\n').filter((line) => line.includes(` name=${name} `)).length;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('RecordedResultsSource: reads the results queue only while a dashboard listens (real Redis, real BullMQ)', () => {
  const prefix = uniquePrefix('recorded');
  const redis = new Redis(REDIS_URL);
  const source = new RecordedResultsSource({ connection: { url: REDIS_URL }, prefix });
  const queue = new Queue(QueueName.HostResults, { connection: { url: REDIS_URL }, prefix });
  let worker: Worker | undefined;
  const subscriptions: Subscription[] = [];

  afterAll(async () => {
    subscriptions.forEach((s) => s.unsubscribe());
    await source.onModuleDestroy();
    await worker?.close();
    await queue.close();
    await dropPrefix(prefix);
    await redis.quit();
  });

  it('opens no reader until subscribed, one for any number of subscribers, and closes it after the last leaves', async () => {
    expect(await readers(redis, prefix)).toBe(0);
    const first = firstValueFrom(source.recorded.pipe(take(1), toArray()));
    const second = firstValueFrom(source.recorded.pipe(take(1), toArray()));
    await until('one reader', async () => (await readers(redis, prefix)) === 1);
    // QueueEvents reads from "now": the reader has to be waiting on the stream before the result lands
    await new Promise((resolve) => setTimeout(resolve, 200));

    worker = new Worker(QueueName.HostResults, async () => 'recorded', { connection: { url: REDIS_URL }, prefix });
    await queue.add(JobName.ReportResult, { any: 'result' });
    expect(await first).toHaveLength(1);
    expect(await second).toHaveLength(1);
    expect(await readers(redis, prefix)).toBeLessThanOrEqual(1);
    await until('no reader once both subscribers left', async () => (await readers(redis, prefix)) === 0);
  });

  it('closes a reader still open at shutdown', async () => {
    subscriptions.push(source.recorded.subscribe());
    await until('one reader', async () => (await readers(redis, prefix)) === 1);
    await source.onModuleDestroy();
    // the server drops a closed client's entry a moment after the client has gone
    await until('no reader after shutdown', async () => (await readers(redis, prefix)) === 0);
  });
});
