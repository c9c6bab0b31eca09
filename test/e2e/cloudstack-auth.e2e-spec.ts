import { PipelineHarness } from '../support/pipeline-harness';

/** A key pair CloudStack refuses: the operator's request says so (502) instead of a bare 500, and no secret is shown. */
describe('a CloudStack that refuses api keys', () => {
  let h: PipelineHarness;
  const wrongSecret = 'not-the-secret-0123456789abcdef';

  beforeAll(async () => {
    h = await PipelineHarness.start({ hosts: 1, personas: ['ubuntu2204'], worker: false, env: { POLL_INTERVAL_MS: '0', CLOUDSTACK_SECRET_KEY: wrongSecret } });
  }, 30_000);
  afterAll(async () => h?.stop());

  it('answers a configure with 502 naming the variables to check, never the secret', async () => {
    const res = await h.request<{ statusCode: number; error: string; message: string }>('POST', `/hosts/${h.host('kvm1').id}/configure`, { dryRun: true });

    expect(res.status).toBe(502);
    expect(res.body.error).toBe('Bad Gateway');
    expect(res.body.message).toMatch(/^CloudStack \w+ failed with HTTP 401: .*; check CLOUDSTACK_API_KEY and CLOUDSTACK_SECRET_KEY/);
    expect(JSON.stringify(res.body)).not.toContain(wrongSecret);
  });
});
