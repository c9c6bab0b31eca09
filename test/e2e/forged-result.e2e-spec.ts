import { randomUUID } from 'node:crypto';
import { JobName, QueueName, type ReportResultJobData } from '@hostnet/contracts';
import { HostStatusRepository } from '../../apps/api/src/hosts/host-status.repository';
import { PipelineHarness } from '../support/pipeline-harness';

/**
 * A result job is only a claim: api acts on it only for the run it recorded at enqueue, once. Jobs
 * are added straight to the results queue in real Redis, as anyone with Redis or a writable
 * Bull Board could; Bull Board itself refuses every change.
 */
describe('a forged result never enables a host', () => {
  let h: PipelineHarness;

  beforeAll(async () => {
    h = await PipelineHarness.start({ hosts: 2, applyLatencyMs: 1_500, env: { POLL_INTERVAL_MS: '0' } });
  }, 30_000);
  afterAll(async () => h?.stop());

  const results = () => h.queue<ReportResultJobData>(QueueName.HostResults);
  const mutations = (hostId: string) => h.zone.cloudstack.calls.mutations().filter((c) => c.params['id'] === hostId);
  const forge = async (data: ReportResultJobData) => {
    const job = await results().add(JobName.ReportResult, data, { jobId: `result-forged-${randomUUID()}` });
    return h.until(`forged result ${job.id} handled`, async () => ((await job.getState()) === 'completed' ? await results().getJob(job.id!) : undefined));
  };
  const claim = (hostId: string, hostName: string, zoneId: string, requestId: string): ReportResultJobData => ({
    configureJobId: `host-${hostId}`,
    request: { zoneId, hostId, hostName, specHash: 'f'.repeat(64), mode: 'apply', force: false, trigger: { kind: 'operator' }, requestId, requestedAt: new Date().toISOString() },
    outcome: { status: 'applied', verification: { ok: true, checks: [] } },
    finishedAt: new Date().toISOString(),
    attempts: 1,
  });

  it('for a host with no run: rejected, recorded as evidence, no CloudStack call', async () => {
    const { id, record } = h.host('kvm1');
    const job = await forge(claim(id, 'kvm1', record.zoneId, randomUUID()));

    expect(job?.returnvalue).toBe('rejected');
    expect(mutations(id)).toEqual([]);
    expect(h.host('kvm1').record.resourceState).toBe('Disabled');
    const rejected = await h.api.get(HostStatusRepository).rejected(id);
    expect(rejected).toEqual([expect.objectContaining({ status: 'applied', reason: expect.stringMatching(/no run is in flight/) })]);
  });

  it('while a real run is in flight, and replayed after it: only the real result acts, once', async () => {
    const { id, record } = h.host('kvm2');
    const started = await h.configure(id, { requestedBy: 'e2e-forged' });
    expect(started.body.enqueued).toBe(true);

    const during = await forge(claim(id, 'kvm2', record.zoneId, randomUUID()));
    expect(during?.returnvalue).toBe('rejected');
    expect(mutations(id)).toEqual([]);

    const { latest } = await h.waitForPhase(id, 'enabled', 'e2e-forged');
    const [real] = await h.reportedResults(id).then((jobs) => jobs.filter((j) => !j.id!.startsWith('result-forged-')));
    expect(real?.data.request.requestId).toBe(latest.runId);
    const replay = await forge(real!.data);
    expect(replay?.returnvalue).toBe('rejected');

    expect(mutations(id).map((c) => c.command)).toEqual(['reconnectHost', 'updateHost']);
    const view = (await h.view(id))!;
    expect(view.latest).toMatchObject({ phase: 'enabled', runId: real!.data.request.requestId });
    expect(view.history.map((r) => r.phase).reverse()).toEqual(['queued', 'applying', 'verified', 'enabled']);
    expect(view.rejectedResults.map((r) => r.reason)).toEqual([
      expect.stringMatching(/no run is in flight .*already handled/),
      expect.stringMatching(/is not the host's run in flight/),
    ]);
  }, 40_000);

  it('Bull Board is read-only: no add, retry, clean or edit', async () => {
    const board = (method: string, path: string, body?: unknown) =>
      fetch(`${h.apiUrl}/admin/queues/api${path}`, {
        method,
        headers: { authorization: `Bearer ${h.env.API_TOKEN}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const { id, record } = h.host('kvm1');
    const before = await results().getJobCounts();

    const queues = (await (await board('GET', '/queues')).json()) as { queues: { name: string; readOnlyMode: boolean }[] };
    expect(queues.queues.map((q) => q.readOnlyMode)).toEqual([true, true]);
    const attempts = [
      await board('POST', `/queues/${QueueName.HostResults}/add`, { name: JobName.ReportResult, data: claim(id, 'kvm1', record.zoneId, randomUUID()) }),
      await board('PUT', `/queues/${QueueName.HostResults}/retry/failed`),
      await board('PUT', `/queues/${QueueName.HostResults}/clean/completed`),
      await board('PUT', `/queues/${QueueName.HostNetwork}/empty`),
      await board('PATCH', `/queues/${QueueName.HostResults}/some-job/update-data`, { data: {} }),
    ];

    expect(attempts.map((r) => r.status)).toEqual([405, 405, 405, 405, 405]);
    expect(await results().getJobCounts()).toEqual(before);
    expect(mutations(id)).toEqual([]);
  });
});
