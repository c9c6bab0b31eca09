import { configureHostJobId, JobName, QueueName, type ConfigureHostJobData, type ReportResultJobData } from '@hostnet/contracts';
import { HostRunRegistry } from '../../apps/api/src/runs/host-run.registry';
import { PipelineHarness } from '../support/pipeline-harness';

/** The run api holds per host never outlives its job and result: a lost run does not block the host. */
describe('a run lost without a result', () => {
  let h: PipelineHarness;

  beforeAll(async () => {
    // No worker: the job stays queued, and the test decides when it is lost.
    h = await PipelineHarness.start({ hosts: 1, worker: false, env: { POLL_INTERVAL_MS: '0' } });
  }, 30_000);
  afterAll(async () => h?.stop());

  it('is joined while its job waits, replaced once its job is gone with no result, and its late result is refused', async () => {
    const { id } = h.host('kvm1');
    const jobs = h.queue<ConfigureHostJobData>(QueueName.HostNetwork);
    const runs = h.api.get(HostRunRegistry);
    expect((await h.configure(id, { requestedBy: 'e2e-lost-1' })).body.enqueued).toBe(true);
    expect((await h.configure(id, { requestedBy: 'e2e-lost-2' })).body.enqueued).toBe(false);
    const lost = (await jobs.getJob(configureHostJobId(id)))!.data;

    // Lost: the job is gone (e.g. failed past its stall limit) and no result was ever reported.
    await jobs.remove(configureHostJobId(id));
    const run = (await runs.current(id))!;
    await runs.replace(id, run.runId, { ...run, at: new Date(Date.now() - 60_000).toISOString() }); // past the enqueue grace
    const next = await h.configure(id, { requestedBy: 'e2e-lost-3' });

    expect(next.body.enqueued).toBe(true);
    const fresh = (await jobs.getJob(configureHostJobId(id)))!.data;
    expect(fresh.requestId).not.toBe(lost.requestId);
    expect((await runs.current(id))?.runId).toBe(fresh.requestId);

    const late: ReportResultJobData = { configureJobId: configureHostJobId(id), request: lost, outcome: { status: 'applied' }, finishedAt: new Date().toISOString(), attempts: 1 };
    const job = await h.queue<ReportResultJobData>(QueueName.HostResults).add(JobName.ReportResult, late, { jobId: `result-late-${lost.requestId}` });
    await h.until('the late result handled', async () => ((await job.getState()) === 'completed' ? true : undefined));
    expect((await h.queue(QueueName.HostResults).getJob(job.id!))?.returnvalue).toBe('rejected');
    expect((await h.view(id))!.rejectedResults[0]?.reason).toMatch(/is not the host's run in flight/);
    expect(h.zone.cloudstack.calls.mutations()).toEqual([]);
  });
});
