import { SecretMasker, JsonLogger } from '@hostnet/platform';
import { PipelineHarness } from '../support/pipeline-harness';

/** LOG_FORMAT=json through a real run: every line parses, job lines carry their ids, no secret is written. */
describe('JSON logs of api and worker', () => {
  const lines: string[] = [];
  let h: PipelineHarness;
  let secrets: string[];

  beforeAll(async () => {
    // api and worker share Nest's static logger in one process: one recorder sees both.
    const logger = new JsonLogger(new SecretMasker([]), 'verbose', 'hostnet', { write: (s: string) => void lines.push(s) });
    h = await PipelineHarness.start({ hosts: 1, personas: ['ubuntu2204'], env: { LOG_LEVEL: 'verbose' }, loggers: { api: logger, worker: logger } });
    secrets = [h.env.CLOUDSTACK_SECRET_KEY!, h.env.API_TOKEN!, h.env.WEBHOOK_SECRET!];
  }, 30_000);
  afterAll(async () => h?.stop());

  it('one JSON object a line, with hostId, runId and jobId on the lines of a host run', async () => {
    const { id } = h.host('kvm1');
    const enabled = await h.waitForPhase(id, 'enabled');
    const records = lines.map((line) => JSON.parse(line) as Record<string, string>);
    expect(records.length).toBeGreaterThan(20);
    for (const r of records) expect(r).toEqual(expect.objectContaining({ level: expect.any(String), time: expect.any(String), msg: expect.any(String) }));

    // One run, one runId in api's status and in both apps' lines.
    const ids = { hostId: id, runId: enabled.latest.runId, jobId: `host-${id}` };
    const phases = records.filter((r) => r.context === 'HostNetworkProcessor');
    expect(phases.map((r) => r.msg)).toEqual(expect.arrayContaining([expect.stringMatching(/^phase=facts/), expect.stringMatching(/^phase=outcome/)]));
    for (const r of phases) expect(r).toMatchObject(ids);
    // Lines that do not name the host themselves get its ids from the job they were logged in.
    const cloudstackInJob = records.filter((r) => r.context === 'CloudStackClient' && r.hostId === id && !r.msg.includes(id));
    expect(cloudstackInJob.length).toBeGreaterThan(0);
    for (const r of cloudstackInJob) expect(r).toMatchObject(ids);

    // api's lines about the result (enable, CloudStack updateHost) carry the same host and job.
    const enableCalls = records.filter((r) => r.context === 'CloudStackClient' && r.msg.startsWith('→ updateHost'));
    expect(enableCalls.length).toBeGreaterThan(0);
    for (const r of enableCalls) expect(r).toMatchObject(ids);

    for (const secret of secrets) expect(lines.join('')).not.toContain(secret);
  }, 40_000);
});
