import { isRedisOutage, RedisOutageAfterEffectError } from '@hostnet/platform';
import { triggerInBatches } from './trigger-batches';

describe('triggerInBatches', () => {
  const hosts = Array.from({ length: 30 }, (_, i) => ({ id: `h${i}` }));
  const queued = async (host: { id: string }) => ({ hostId: host.id, runId: `run-${host.id}` });
  const closed = () => new Error('Connection is closed.');

  it('answers a Redis drop after a first batch with the hosts already queued, not "queued nothing"', async () => {
    const error = await triggerInBatches(hosts, 25, (host) => (Number(host.id.slice(1)) < 25 ? queued(host) : Promise.reject(closed()))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisOutageAfterEffectError);
    expect(isRedisOutage(error)).toBe(true);
    expect((error as RedisOutageAfterEffectError).known).toMatch(/^queued or joined a run of 25 of 30 hosts before Redis went away \(h0, h1, .*h24\): those runs go on; the others were not queued;/);
  });

  it('names a host whose add() may have stored its job', async () => {
    const maybe = new RedisOutageAfterEffectError('host h1 may have been queued', closed());
    const error = await triggerInBatches(hosts.slice(0, 2), 25, (host) => (host.id === 'h0' ? queued(host) : Promise.reject(maybe))).catch((e: unknown) => e);
    expect((error as RedisOutageAfterEffectError).known).toContain('1 may have been queued (h1)');
  });

  it('keeps the plain outage when nothing was queued, and any other error as it was', async () => {
    const none = await triggerInBatches(hosts, 25, () => Promise.reject(closed())).catch((e: unknown) => e);
    expect(none).toEqual(closed());
    const other = new Error('spec cannot be derived');
    await expect(triggerInBatches(hosts, 25, (host) => (host.id === 'h3' ? Promise.reject(other) : queued(host)))).rejects.toBe(other);
  });

  it('answers every host in order when nothing fails', async () => {
    expect((await triggerInBatches(hosts, 25, queued)).map((r) => r.hostId)).toEqual(hosts.map((h) => h.id));
  });
});
