import { QueueName } from '@hostnet/contracts';
import { hostCli } from '../support/host-cli';
import { PipelineHarness } from '../support/pipeline-harness';
import { RecordingLogger } from '../support/recording-logger';
import { OwnRedis } from '../support/own-redis';

async function timed<T>(call: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await call();
  return { value, ms: Date.now() - started };
}

/**
 * Redis goes away under a running api and worker: api answers at once (health degraded, requests 503 naming
 * Redis and the fix), the CLI says so, a refused trigger does not run once Redis is back, and the outage
 * is logged a line per connection through the app's logger instead of a stack trace per reconnect.
 */
describe('a Redis outage under api and worker', () => {
  let redis: OwnRedis;
  let h: PipelineHarness;
  const logs = new RecordingLogger('hostnet', 'log');
  let consoleErrors: jest.SpyInstance;

  const cli = (argv: string[]) => hostCli(h, argv);
  /** Job ids host-network's event stream says were added, ever (XRANGE of BullMQ's `<prefix>:<queue>:events`). */
  const addedJobs = async () => {
    const redis = h.redis();
    const entries = await redis.xrange(`${h.env.QUEUE_PREFIX}:${QueueName.HostNetwork}:events`, '-', '+').finally(() => redis.quit());
    return entries.map(([, fields]) => fields).filter((f) => f[f.indexOf('event') + 1] === 'added').map((f) => f[f.indexOf('jobId') + 1]);
  };

  beforeAll(async () => {
    redis = await OwnRedis.start();
    h = await PipelineHarness.start({ hosts: 1, personas: ['ubuntu2204'], redisUrl: redis.url, env: { POLL_INTERVAL_MS: '0' }, loggers: { api: logs, worker: logs } });
    consoleErrors = jest.spyOn(console, 'error');
  }, 60_000);

  afterAll(async () => {
    consoleErrors?.mockRestore();
    await redis?.up(); // the harness stops cleanly only with Redis there
    await h?.stop();
    await redis?.remove();
  }, 60_000);

  it('answers at once while Redis is down, queues nothing that runs later, and logs the outage once per connection', async () => {
    const { id } = h.host('kvm1');
    await redis.stop();
    await new Promise((r) => setTimeout(r, 300)); // the clients see their connections close

    const health = await timed(() => fetch(`${h.apiUrl}/health`).then(async (r) => ({ status: r.status, body: await r.json() })));
    expect(health.value).toEqual({ status: 503, body: { status: 'degraded', redis: false } });
    expect(health.ms).toBeLessThan(2_000);

    const refused = await timed(() => h.configure(id, { requestedBy: 'outage-e2e' }));
    expect(refused.ms).toBeLessThan(5_000);
    expect(refused.value.status).toBe(503);
    const message = (refused.value.body as unknown as { message: string }).message;
    expect(message).toBe(
      `Redis at ${redis.url} is unreachable, so hostnet can neither read nor record runs: this request queued nothing and nothing of it will run later; ` +
        'fix: start Redis there (or correct REDIS_URL), then ask again (GET /health answers redis: true once it is back)',
    );

    const dashboard = await timed(() => fetch(`${h.apiUrl}/dashboard`, { headers: { authorization: `Bearer ${h.env.API_TOKEN}` } }).then(async (r) => ({ status: r.status, text: await r.text() })));
    expect(dashboard.ms).toBeLessThan(5_000);
    expect(dashboard.value.status).toBe(503);
    expect(dashboard.value.text).toContain('is unreachable');

    // the CLI names Redis, not api, and says the trigger queued nothing
    const hosts = await timed(() => cli(['hosts']));
    expect(hosts.ms).toBeLessThan(5_000);
    expect(hosts.value).toMatchObject({ stdout: '', stderr: `hostnet hosts: GET /hosts answered 503: ${message}\n` });
    expect(hosts.value.code).not.toBe(0);
    const configure = await timed(() => cli(['configure', '--host', 'kvm1', '--requested-by', 'outage-cli']));
    expect(configure.ms).toBeLessThan(5_000);
    expect(configure.value.code).not.toBe(0);
    expect(configure.value.stderr).toContain(`answered 503: ${message}`);

    await new Promise((r) => setTimeout(r, 3_000)); // reconnect attempts go on meanwhile
    await redis.up();
    await h.until('api sees Redis again', async () => ((await fetch(`${h.apiUrl}/health`)).status === 200 ? true : undefined), 15_000);
    await new Promise((r) => setTimeout(r, 1_500)); // a command kept for replay would have been sent by now

    // nothing of the refused triggers reached Redis once it was back: no job ever added (the configure preset removes
    // completed and failed jobs at once, so only the queue's event stream would show one that ran), no status record
    expect(await addedJobs()).toEqual([]);
    expect(await h.queue(QueueName.HostNetwork).getJobCounts()).toEqual(expect.objectContaining({ waiting: 0, active: 0, delayed: 0 }));
    expect(await h.view(id)).toBeUndefined();

    const outage = logs.lines.filter((l) => /Redis error: .*ECONNREFUSED/.test(l));
    expect(outage.length).toBeGreaterThan(0);
    // one line per connection for an outage shorter than a minute, each naming the connection
    expect(new Set(outage.map((l) => /(\S[^:]*): Redis error/.exec(l)?.[1])).size).toBe(outage.length);
    expect(logs.lines.some((l) => /api requests: Redis reachable again after \d+ s/.test(l))).toBe(true);
    const printed = consoleErrors.mock.calls.map((args) => args.map(String).join(' ')).filter((l) => /ioredis|ECONNREFUSED|Connection is closed/.test(l));
    expect(printed).toEqual([]);
  }, 60_000);
});
