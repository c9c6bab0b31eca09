import { configureHostJobId, QueueName } from '@hostnet/contracts';
import { outsideEtc, snapshotChanges, snapshotFiles } from '../support/host-files';
import { PipelineHarness } from '../support/pipeline-harness';

describe('a command failure during activation', () => {
  let h: PipelineHarness;

  beforeAll(async () => {
    h = await PipelineHarness.start({ hosts: 1, personas: ['ubuntu2204'], env: { POLL_INTERVAL_MS: '0' } });
  }, 30_000);
  afterAll(async () => h?.stop());

  it("ends 'failed' naming the step, with the previous files restored and the host left Disabled", async () => {
    const { kvm, id } = h.host('kvm1');
    const config = snapshotFiles(kvm.rootDir, outsideEtc);
    const live = kvm.readLiveState();
    // The activation step of a netplan host; the exec-level check never sees it (it runs inside apply).
    kvm.faults.failCommand = /^netplan apply$/;

    await h.configure(id, { requestedBy: 'e2e-fail' });
    const { latest, history } = await h.waitForPhase(id, 'failed', 'e2e-fail');

    expect(kvm.faults.failCommand).toBeUndefined(); // consumed by the step, so the restore's own netplan apply ran
    // The reason carries the failed step's own output, so operators see why without opening the host.
    expect(latest.reason).toMatch(/^step netplan-apply exited 1; (output: .+; )?previous configuration restored at once$/);
    expect(latest.outcome).toMatchObject({
      status: 'failed',
      steps: [expect.objectContaining({ name: 'netplan-apply', exitCode: 1 })],
      rollback: { triggered: true },
    });
    expect(latest.outcome?.diff?.files.some((f) => f.change === 'create')).toBe(true);
    // A step failure is a final outcome: reported once, the job is gone (not delayed for a retry).
    expect(history.filter((r) => r.phase === 'failed')).toHaveLength(1);
    expect(await h.queue(QueueName.HostNetwork).getJob(configureHostJobId(id))).toBeUndefined();
    expect((await h.reportedResults(id)).map((j) => j.data.attempts)).toEqual([1]);

    expect(snapshotChanges(config, snapshotFiles(kvm.rootDir, outsideEtc), true)).toEqual([]);
    expect(kvm.readLiveState()).toEqual(live);
    expect(h.zone.cloudstack.calls.mutations()).toEqual([]);
    expect(h.zone.cloudstack.state.hosts[0]!.resourceState).toBe('Disabled');
  }, 60_000);
});
