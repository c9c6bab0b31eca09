import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRunState } from '../support/host-files';
import { PipelineHarness } from '../support/pipeline-harness';
import { ensureBuiltApps, StartedWorkers } from '../support/worker-process';

/**
 * The worker dies after its run is confirmed and before the agent's restart the run's map change needs: the
 * retry's facts show the new bridges (a no-op), and only the restart the first attempt recorded as owed on the
 * job, before it applied, tells it the running agent still maps the bridges it had.
 */
describe('worker SIGKILLed between the confirm and the agent restart', () => {
  let h: PipelineHarness;
  const workers = new StartedWorkers();

  beforeAll(async () => {
    ensureBuiltApps();
    h = await PipelineHarness.start({ hosts: 1, personas: ['ubuntu2204'], worker: false, env: { POLL_INTERVAL_MS: '0', WORKER_STALLED_INTERVAL_MS: '2000' } });
  }, 180_000);
  afterAll(async () => {
    await workers.stopAll();
    await h?.stop();
  });

  const startWorker = () => workers.start(h.env);

  it('the retry restarts the agent after its no-op before api enables the host', async () => {
    const { kvm, id } = h.host('kvm1');
    const marker = join(kvm.rootDir, 'var/lib/hostnet/agent-restarted');
    const first = await startWorker();
    // every exec waits: the restart's exec (on the confirm's connection, right after it) is still waiting when the
    // confirm is seen, and dies with its client; 3 s leaves a loaded machine time to see the confirm and kill
    kvm.faults.slowMs = 3_000;
    await h.configure(id, { requestedBy: 'e2e-lost-restart' });
    await h.until('the run confirmed on the host', async () => (readRunState(kvm.rootDir)?.phase === 'applied' ? true : undefined), 60_000);
    expect(await first.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    await new Promise((r) => setTimeout(r, 2_000));
    expect(existsSync(marker)).toBe(false);
    kvm.faults.slowMs = 0;

    await startWorker();
    const { history } = await h.waitForPhase(id, 'enabled', 'e2e-lost-restart', 60_000);
    // the killed attempt reported nothing: the retry's no-op is the run api enabled the host on
    const ran = history.filter((r) => r.outcome);
    expect(ran.map((r) => r.phase)).toEqual(['enabled', 'no-op']);
    expect(ran[1]!.outcome?.agentRestart).toEqual({ status: 'restarted' });
    expect(ran[1]!.outcome?.steps?.at(-1)).toMatchObject({ name: 'agent-restart', exitCode: 0 });
    expect(readFileSync(marker, 'utf8')).toMatch(/^[\w-]+\n$/);
  }, 150_000);
});
