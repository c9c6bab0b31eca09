import { snapshotChanges, snapshotFiles } from '../support/host-files';
import { PipelineHarness, type HostView } from '../support/pipeline-harness';

/**
 * A blank Ubuntu host with openvswitch installed and not started: facts' `ovs-vsctl list-br` does not answer (here
 * the simulator's failCommand fault on exactly that call: a simulated OVS database always answers otherwise). The
 * OVS run is refused before anything is armed, dry-run and apply alike, naming the cause and the unit to start.
 */
describe('an Open vSwitch host whose database does not answer', () => {
  let h: PipelineHarness;
  const ended = (id: string, by: string): Promise<HostView> =>
    h.until(`run ${by} ended`, async () => {
      const view = await h.view(id);
      return view?.latest.trigger?.by === by && view.latest.outcome !== undefined ? view : undefined;
    });
  const refusal =
    /^OvsDatabaseDownError: Open vSwitch is installed but its database does not answer \(ovs-vsctl could not reach ovsdb-server\), .*nothing was changed; fix: start it \(systemctl enable --now openvswitch-switch, so it also starts at boot\) and run the host again$/;

  beforeAll(async () => {
    h = await PipelineHarness.start({ hosts: 1, personas: ['ubuntu2404'], env: { POLL_INTERVAL_MS: '0', DRIFT_INTERVAL_MS: '0' } });
  }, 30_000);
  afterAll(async () => h?.stop());

  it('is refused before arming, dry-run and apply, and runs once Open vSwitch answers', async () => {
    const { id, kvm } = h.host('kvm1');
    const stopped = () => (kvm.faults.failCommand = /^ovs-vsctl (--timeout=[0-9]+ )?list-br$/);

    stopped();
    expect((await h.configure(id, { dryRun: true, requestedBy: 'dry' })).body.enqueued).toBe(true);
    const dry = await ended(id, 'dry');
    expect([dry.latest.outcome?.status, dry.latest.outcome?.target, dry.latest.outcome?.reason]).toEqual(['failed', 'netplan-ovs', expect.stringMatching(refusal)]);

    stopped();
    const files = snapshotFiles(kvm.rootDir, (p) => p.startsWith('.sim'));
    expect((await h.configure(id, { requestedBy: 'apply' })).body.enqueued).toBe(true);
    const refused = await h.waitForPhase(id, 'failed', 'apply');
    expect([refused.latest.outcome?.reason, refused.latest.outcome?.steps, refused.latest.outcome?.rollback]).toEqual([expect.stringMatching(refusal), [], undefined]);
    expect(refused.latest.outcome?.roundTrips).toMatchObject({ facts: 1, apply: 0 });
    expect(snapshotChanges(files, snapshotFiles(kvm.rootDir, (p) => p.startsWith('.sim')))).toEqual([]);
    expect(kvm.faults.failCommand).toBeUndefined(); // the one read the fault stood for was facts'

    expect((await h.configure(id, { requestedBy: 'started' })).body.enqueued).toBe(true);
    const started = await h.waitForPhase(id, 'enabled', 'started', 90_000);
    expect(started.history.find((r) => r.trigger?.by === 'started' && r.outcome?.status === 'applied')).toBeDefined();
  }, 180_000);
});
