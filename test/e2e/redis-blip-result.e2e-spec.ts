import { OwnRedis } from '../support/own-redis';
import { PipelineHarness } from '../support/pipeline-harness';

/**
 * Redis drops for a moment while api handles a verified result, between CloudStack's enable and its status record:
 * api's background work waits for Redis instead of failing fast, so the result is handled once, the host is enabled
 * with one updateHost, and it is recorded enabled once (safety contract point 4).
 */
describe('a Redis blip while api handles a result', () => {
  let redis: OwnRedis;
  let h: PipelineHarness;

  beforeAll(async () => {
    redis = await OwnRedis.start();
    h = await PipelineHarness.start({ hosts: 1, personas: ['ubuntu2204'], redisUrl: redis.url, env: { POLL_INTERVAL_MS: '0' } });
  }, 60_000);

  afterAll(async () => {
    await redis?.up(); // the harness stops cleanly only with Redis there
    await h?.stop();
    await redis?.remove();
  }, 60_000);

  it('records the result once and enables the host once', async () => {
    const { id } = h.host('kvm1');
    const { faults, calls } = h.zone.cloudstack;
    // The enable is answered 200 ms late; Redis goes away as it arrives and comes back ~500 ms later, so api's
    // commands after the enable (its status record) meet Redis out.
    faults.slowNext(1, 200, { command: 'updateHost' });
    const take = faults.take.bind(faults);
    let blip: Promise<void> | undefined;
    jest.spyOn(faults, 'take').mockImplementation((command) => {
      const fault = take(command);
      if (command === 'updateHost' && fault && !blip) {
        blip = (async () => {
          await redis.stop();
          await new Promise((r) => setTimeout(r, 500));
          await redis.up();
        })();
      }
      return fault;
    });

    expect((await h.configure(id, { requestedBy: 'blip-e2e' })).status).toBeLessThan(300);
    await h.until('the blip', async () => (blip ? blip.then(() => true) : undefined), 60_000);
    await h.until('api sees Redis again', async () => ((await fetch(`${h.apiUrl}/health`)).status === 200 ? true : undefined), 15_000);
    await h.waitForPhase(id, 'enabled', 'blip-e2e', 30_000);
    await h.waitForNoRun(id, 15_000);
    await new Promise((r) => setTimeout(r, 1_000)); // a retried result would have run by now

    expect(calls.count('updateHost')).toBe(1);
    expect(calls.count('reconnectHost')).toBeLessThanOrEqual(1);
    const { body } = await h.request<{ history: { phase: string; reason?: string }[] }>('GET', `/hosts/${id}`);
    expect(body.history.filter((r) => r.phase === 'enabled')).toHaveLength(1);
    expect(body.history.filter((r) => /will retry/.test(r.reason ?? ''))).toEqual([]);
  }, 90_000);
});
