import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { configureHostJobId, JobName, QueueName, type ConfigureHostJobData } from '@hostnet/contracts';
import { asBackgroundWork, connectFailFast, connectRedis, routedByWork } from '@hostnet/platform';
import { OwnRedis } from '../../../../test/support/own-redis';
import { BackgroundHostNetworkQueue } from './background-host-network.queue';

/** A re-run's add() (background work) across a ~300 ms Redis drop: it waits and lands; a request's fails at once. */
describe('host-network producers across a Redis blip (real Redis, stopped and started again)', () => {
  let server: OwnRedis;
  let waiting: Redis;
  let failFast: Redis;
  let requestQueue: Queue<ConfigureHostJobData>;
  let background: BackgroundHostNetworkQueue;
  const prefix = `hostnet-bg-queue-${process.pid}`;

  beforeAll(async () => {
    server = await OwnRedis.start();
    const config = { REDIS_URL: server.url };
    waiting = connectRedis(config);
    failFast = await connectFailFast(config, 'bg queue spec');
    requestQueue = new Queue(QueueName.HostNetwork, { connection: failFast, prefix });
    background = new BackgroundHostNetworkQueue(waiting, prefix);
  });

  afterAll(async () => {
    await requestQueue?.close();
    await background?.onApplicationShutdown();
    waiting?.disconnect();
    failFast?.disconnect();
    await server?.remove();
  });

  it('a background add() waits out the drop and is stored once; a request-path add() is refused', async () => {
    const queue = routedByWork(requestQueue, background.queue);
    const data = (hostId: string) => ({ hostId }) as ConfigureHostJobData;
    await server.stop();
    await new Promise((r) => setTimeout(r, 100));
    await expect(queue.add(JobName.ConfigureHost, data('h-request'), { jobId: configureHostJobId('h-request') })).rejects.toThrow();
    const rerun = asBackgroundWork(() => queue.add(JobName.ConfigureHost, data('h-rerun'), { jobId: configureHostJobId('h-rerun') }));
    await new Promise((r) => setTimeout(r, 300));
    await server.up();
    await rerun;
    expect((await background.queue.getJob(configureHostJobId('h-rerun')))?.data.hostId).toBe('h-rerun');
    expect(await background.queue.getJob(configureHostJobId('h-request'))).toBeUndefined();
    expect(await background.queue.count()).toBe(1);
  });
});
