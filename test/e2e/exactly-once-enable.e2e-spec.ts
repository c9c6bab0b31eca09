import { configureHostJobId, QueueName } from '@hostnet/contracts';
import { HostPollerService } from '../../apps/api/src/poller/host-poller.service';
import { PipelineHarness } from '../support/pipeline-harness';

/**
 * Overlapping triggers for one host, timed to land while the first run or its result is in flight:
 * CloudStack sees one reconnect and one enable per verified run, never two.
 */
describe('overlapping triggers for one host → exactly one reconnect and one enable', () => {
  let h: PipelineHarness;

  beforeAll(async () => {
    // A slow reconnect keeps the first result in flight long after its configure job is gone.
    h = await PipelineHarness.start({ hosts: 2, asyncJobDelayMs: 2_500, env: { POLL_INTERVAL_MS: '0' } });
  }, 30_000);
  afterAll(async () => h?.stop());

  const mutations = (hostId: string, command: string) =>
    h.zone.cloudstack.calls.of(command).filter((c) => c.params['id'] === hostId);
  const settle = () => new Promise((r) => setTimeout(r, 2_000)); // room for a second mutation to show up

  /** Until the worker is done with the host's job (removed on completion) while api is still enabling. */
  const resultInFlight = (hostId: string) =>
    h.until('the configure job done, the enable in flight', async () => {
      const job = await h.queue(QueueName.HostNetwork).getJob(configureHostJobId(hostId));
      return !job && mutations(hostId, 'updateHost').length === 0 ? true : undefined;
    });

  it('two POST /hosts/:id/configure, the second 0.4 s after the first run ended', async () => {
    const { id } = h.host('kvm1');
    const first = await h.configure(id, { requestedBy: 'e2e-once-1' });
    await resultInFlight(id);
    await new Promise((r) => setTimeout(r, 400));
    const second = await h.configure(id, { requestedBy: 'e2e-once-2' });

    expect(first.body).toMatchObject({ enqueued: true, jobId: configureHostJobId(id) });
    expect(second.body).toMatchObject({
      enqueued: false,
      jobId: configureHostJobId(id),
      runId: first.body.runId,
      joined: `an apply of this host (run ${first.body.runId}) was already queued or running: this request joined it as it is (its own force and requestedBy are not used); GET /hosts/${id} shows its result`,
    });
    await h.waitForPhase(id, 'enabled', 'e2e-once-1');
    await settle();

    expect(mutations(id, 'reconnectHost')).toHaveLength(1);
    expect(mutations(id, 'updateHost').map((c) => c.params['allocationstate'])).toEqual(['Enable']);
    expect(await h.reportedResults(id)).toHaveLength(1);
    expect((await h.view(id))!.latest.phase).toBe('enabled');
  }, 40_000);

  it('a poller pass, then REST while the first result is still being handled', async () => {
    const { id, record } = h.host('kvm2');
    const poll = await h.api.get(HostPollerService).pollZone(record.zoneId);
    expect(poll.enqueued).toEqual(['kvm2']);
    await resultInFlight(id);
    const rest = await h.configure(id, { requestedBy: 'e2e-once-rest' });

    expect(rest.body).toMatchObject({ enqueued: false, jobId: configureHostJobId(id) });
    await h.waitForPhase(id, 'enabled');
    await settle();

    expect(mutations(id, 'reconnectHost')).toHaveLength(1);
    expect(mutations(id, 'updateHost').map((c) => c.params['allocationstate'])).toEqual(['Enable']);
    expect(await h.reportedResults(id)).toHaveLength(1);
  }, 40_000);
});
