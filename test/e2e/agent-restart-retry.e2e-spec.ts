import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PipelineHarness } from '../support/pipeline-harness';

/**
 * A run that made bridges the running agent had not mapped restarts the agent after its confirm. When that restart
 * fails, the job's next attempt, whose network part is a no-op, owes it (agentRestartOwed) and restarts it; api
 * enables the host only on that attempt's result.
 */
describe('a failed agent restart after a run that made bridges', () => {
  let h: PipelineHarness;

  beforeAll(async () => {
    h = await PipelineHarness.start({ hosts: 1, personas: ['ubuntu2204'], env: { POLL_INTERVAL_MS: '0', DRIFT_INTERVAL_MS: '0' } });
  }, 30_000);
  afterAll(async () => h?.stop());

  it('is retried by the job, and the host is enabled once the retry restarted the agent', async () => {
    const { kvm, id } = h.host('kvm1');
    kvm.faults.failCommand = /^systemctl restart cloudstack-agent$/;

    await h.configure(id, { requestedBy: 'e2e-restart-retry' });
    const { latest, history } = await h.waitForPhase(id, 'enabled', 'e2e-restart-retry', 90_000);

    expect(kvm.faults.failCommand).toBeUndefined(); // the first attempt's restart failed
    expect(latest.outcome).toMatchObject({ status: 'no-op', agentRestart: { status: 'restarted' } });
    expect(latest.outcome?.steps?.at(-1)).toMatchObject({ name: 'agent-restart', exitCode: 0 });
    expect(history.filter((r) => r.outcome?.agentRestart?.status === 'failed')).toEqual([]);
    expect(readFileSync(join(kvm.rootDir, 'var/lib/hostnet/agent-restarted'), 'utf8')).toMatch(/^[\w-]+\n$/);
    expect(h.zone.cloudstack.calls.of('updateHost')).toHaveLength(1);
  }, 120_000);
});
