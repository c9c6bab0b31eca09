import { HostStatusRepository } from '../../apps/api/src/hosts/host-status.repository';
import { PipelineHarness } from '../support/pipeline-harness';

/**
 * `hostnet configure --enable` of a host Disabled by choice, arriving while a plain run of it is queued, joins that
 * run: the enable it asks for is recorded on the run, whose result then enables the host. Never dropped unsaid.
 */
describe("an operator's enable that joins a run already queued", () => {
  let h: PipelineHarness;

  beforeAll(async () => {
    // No worker until both requests are in: the first run waits in the queue, deterministically.
    h = await PipelineHarness.start({ hosts: 2, worker: false, env: { POLL_INTERVAL_MS: '0' } });
  }, 60_000);
  afterAll(async () => h?.stop());

  const enables = (id: string) => h.zone.cloudstack.calls.of('updateHost').filter((c) => c.params.id === id).map((c) => c.params.allocationstate);
  const csHost = (id: string) => h.zone.cloudstack.state.hosts.find((x) => x.id === id)!;

  /** hostnet enabled the host once, and someone has disabled it in CloudStack since (it is Disabled there): by choice. */
  const disabledByChoice = async (name: string) => {
    const { id, record } = h.host(name);
    await h.api.get(HostStatusRepository).record({ hostId: id, hostName: name, zoneId: record.zoneId, phase: 'enabled', at: new Date(Date.now() - 3_600_000).toISOString() });
    expect(csHost(id).resourceState).toBe('Disabled');
    return id;
  };

  it('is recorded on the run it joins, which enables the host once verified; a plain run beside it leaves its host Disabled', async () => {
    const joined = await disabledByChoice('kvm1');
    const plain = await disabledByChoice('kvm2');
    const first = await h.configure(joined, { requestedBy: 'e2e-join-plain' });
    expect(first.body.enqueued).toBe(true);
    const asked = await h.configure(joined, { enable: true, requestedBy: 'e2e-join-enable' });
    expect(asked.status).toBe(202);
    expect(asked.body).toMatchObject({
      enqueued: false,
      runId: first.body.runId,
      joined: `an apply of this host (run ${first.body.runId}) was already queued or running: this request joined it as it is (its own force and requestedBy are not used); its enable was recorded on run ${first.body.runId}: once verified, hostnet enables the host; GET /hosts/${joined} shows its result`,
    });
    expect((await h.configure(plain, { requestedBy: 'e2e-join-control' })).body.enqueued).toBe(true);

    await h.startWorker();
    const done = (await h.waitForPhase(joined, 'enabled', 'e2e-join-plain')).latest;
    expect(done.reason).toMatch(/^enabled as asked by e2e-join-enable's enable, which joined this run at \d{4}-/);
    await h.waitForNoRun(joined);
    await h.waitForNoRun(plain);
    await new Promise((r) => setTimeout(r, 1_000)); // room for a second enable to show up
    expect(enables(joined)).toEqual(['Enable']);
    expect(csHost(joined).resourceState).toBe('Enabled');

    const control = (await h.view(plain))!.latest;
    expect(control.phase).toBe('verified');
    expect(control.reason).toMatch(/^not enabled: left Disabled by choice: the host was disabled in CloudStack after hostnet enabled it/);
    expect(enables(plain)).toEqual([]);
  }, 90_000);
});
