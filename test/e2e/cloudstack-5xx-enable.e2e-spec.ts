import { PipelineHarness } from '../support/pipeline-harness';

describe('CloudStack 5xx while enabling a verified host → retried', () => {
  let h: PipelineHarness;

  beforeAll(async () => {
    h = await PipelineHarness.start({ hosts: 2, env: { POLL_INTERVAL_MS: '0' } });
  }, 30_000);
  afterAll(async () => h?.stop());

  const updateHostCalls = (hostId: string) =>
    h.zone.cloudstack.calls.of('updateHost').filter((c) => c.params['id'] === hostId).map((c) => ({ status: c.status, faulted: c.faulted }));

  it('retries a 5xx updateHost inside the CloudStack client and ends enabled', async () => {
    const { id } = h.host('kvm1');
    h.zone.cloudstack.faults.failNext(2, { command: 'updateHost' });

    await h.configure(id, { requestedBy: 'e2e-5xx-client' });
    const { latest } = await h.waitForPhase(id, 'enabled', 'e2e-5xx-client');

    expect(updateHostCalls(id)).toEqual([
      { status: 530, faulted: true },
      { status: 530, faulted: true },
      { status: 200, faulted: false },
    ]);
    expect(h.host('kvm1').record.resourceState).toBe('Enabled');
    expect(latest.cloudstackCalls?.map((c) => [c.command, c.ok])).toEqual([
      ['reconnectHost', true],
      ['updateHost', true],
    ]);
  }, 30_000);

  it('retries the enable as a job when the client gives up, and the history keeps the failed and the successful calls', async () => {
    const { id } = h.host('kvm2');
    // Three 5xx exhaust the client's three tries; the fourth call (the result job's retry) succeeds.
    h.zone.cloudstack.faults.failNext(3, { command: 'updateHost' });

    await h.configure(id, { requestedBy: 'e2e-5xx-job' });
    const { history } = await h.waitForPhase(id, 'enabled', 'e2e-5xx-job');

    expect(updateHostCalls(id).map((c) => c.status)).toEqual([530, 530, 530, 200]);
    expect(h.host('kvm2').record.resourceState).toBe('Enabled');
    const calls = history
      .slice()
      .reverse()
      .flatMap((r) => r.cloudstackCalls ?? [])
      .filter((c) => c.command === 'updateHost');
    expect(calls.map((c) => c.ok)).toEqual([false, true]);
    expect(calls[0]?.error).toMatch(/530|Internal error/);
    expect(history.filter((r) => r.phase === 'enable-failed')).toEqual([]);
  }, 40_000);
});
