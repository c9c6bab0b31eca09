import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configureHostJobId, QueueName } from '@hostnet/contracts';
import { readRunState, runNotApplied, readPidFile } from '../support/host-files';
import { PipelineHarness } from '../support/pipeline-harness';
import { ensureBuiltApps, StartedWorkers } from '../support/worker-process';

describe('worker SIGKILLed mid-apply', () => {
  let h: PipelineHarness;
  const workers = new StartedWorkers();

  beforeAll(async () => {
    ensureBuiltApps();
    // api in this process; the worker runs from dist as a child so it can be killed for real. The
    // rollback window outlasts BullMQ's 30 s lock, so the restarted worker finds the run still armed.
    h = await PipelineHarness.start({
      hosts: 1,
      personas: ['ubuntu2204'],
      applyLatencyMs: 3_000,
      worker: false,
      env: { POLL_INTERVAL_MS: '0', HOSTNET_ROLLBACK_SECONDS: '60', WORKER_STALLED_INTERVAL_MS: '2000' },
    });
  }, 180_000);
  afterAll(async () => {
    await workers.stopAll();
    await h?.stop();
  });

  const startWorker = () => workers.start(h.env);

  it('leaves the host fully new (or fully old) and completes the job after a restart', async () => {
    const { kvm, id } = h.host('kvm1');
    const first = await startWorker();
    await h.configure(id, { requestedBy: 'e2e-sigkill' });

    // Kill while the host is inside the activation step: the run is armed and files are written.
    const armed = await h.until('the run armed on the host', async () => {
      const state = readRunState(kvm.rootDir);
      return state?.phase === 'armed' ? state : undefined;
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(readRunState(kvm.rootDir)?.phase).toBe('armed');
    expect(await first.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    expect(await h.queue(QueueName.HostNetwork).getJob(configureHostJobId(id))).toBeDefined();

    await startWorker();
    const { latest, history } = await h.waitForPhase(id, 'enabled', 'e2e-sigkill', 55_000);

    // The job completed once the stalled job was recovered, with one verified result.
    expect(await h.queue(QueueName.HostNetwork).getJob(configureHostJobId(id))).toBeUndefined();
    expect(history.filter((r) => r.phase === 'verified')).toHaveLength(1);
    const applied = history.find((r) => r.phase === 'verified')!;
    expect(applied.outcome?.verification?.ok).toBe(true);

    // The host is entirely on the new configuration, and its state.json agrees. The restarted worker
    // found the killed run still armed, for the same spec, already in place: it verified and confirmed
    // it rather than applying a second time.
    const state = readRunState(kvm.rootDir)!;
    expect(state.runId).toBe(armed.runId);
    expect(applied.reason).toContain(`adopted pending run ${armed.runId}`);
    // The killed attempt's run made the label bridges the running agent had not mapped, and recorded on the job,
    // before it applied, that it owes the agent's restart: the adopting attempt's facts show the new bridges, so
    // only that record tells it to restart the agent before api enables the host.
    expect(applied.outcome?.agentRestart).toEqual({ status: 'restarted' });
    expect(state).toMatchObject({ phase: 'applied', specHash: latest.specHash, appliedSpecHash: latest.specHash });
    expect(runNotApplied(kvm.rootDir, state.runId)).toEqual([]);
    const expected = JSON.parse(readFileSync(join(kvm.rootDir, 'var/lib/hostnet/expected-state.json'), 'utf8')) as unknown;
    expect(kvm.readLiveState()).toEqual(expected);
    // Whichever run ended up applied, no rollback timer is left to undo it later.
    for (const run of new Set([armed.runId, state.runId])) {
      const pidFile = join(kvm.rootDir, 'var/lib/hostnet/backups', run, 'timer.pid');
      if (existsSync(pidFile)) expect(await goneWithin(readPidFile(pidFile), 3_000)).toBe(true);
    }
    expect(h.zone.cloudstack.state.hosts[0]!.resourceState).toBe('Enabled');
  }, 120_000);
});

/**
 * A cancelled timer may take a moment to exit, and this machine's PID 1 reaps orphans late, so a
 * dead timer can linger as a zombie: that counts as gone (it runs nothing).
 */
async function goneWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (!running(pid)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
