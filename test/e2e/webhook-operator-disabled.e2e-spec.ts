import { HostPollerService } from '../../apps/api/src/poller/host-poller.service';
import { PipelineHarness } from '../support/pipeline-harness';
import { deliverHostEvent } from '../support/webhook-delivery';

/** A host someone chose to have Disabled stays Disabled, whichever trigger runs it, until an operator asks hostnet to enable it. */
describe('a host disabled by choice is never enabled behind the operator', () => {
  let h: PipelineHarness;
  beforeAll(async () => {
    // the apply takes a second, so the host can be disabled while its run is under way
    h = await PipelineHarness.start({ hosts: 2, applyLatencyMs: 1_000, env: { POLL_INTERVAL_MS: '0' } });
  }, 60_000);
  afterAll(async () => h?.stop());

  const csHost = (id: string) => h.zone.cloudstack.state.hosts.find((x) => x.id === id)!;
  /** The host's latest record once the run `by` asked for is handled (forced, a configured host's run may verify or be a no-op). */
  const handled = async (id: string, by: string) => {
    await h.waitForNoRun(id);
    const { latest } = (await h.view(id))!;
    expect(latest.trigger?.by).toBe(by);
    return latest;
  };
  const updates = (id: string) => h.zone.cloudstack.calls.of('updateHost').filter((c) => c.params.id === id);
  const enables = (id: string) => updates(id).length;

  it('HOST.RECONNECT of a host the operator disabled after hostnet enabled it: skipped as the poller skips it', async () => {
    const { id, record } = h.host('kvm1');
    await h.configure(id, { requestedBy: 'e2e-od-first' });
    await h.waitForPhase(id, 'enabled', 'e2e-od-first');
    await h.waitForNoRun(id);
    csHost(id).resourceState = 'Disabled';
    const before = enables(id);

    const poll = await h.api.get(HostPollerService).pollZone(record.zoneId);
    expect(poll.enqueued).not.toContain('kvm1'); // kvm2, new and Disabled, is the poller's to run
    const answer = await deliverHostEvent(h.apiUrl, h.env.WEBHOOK_SECRET!, 'HOST.RECONNECT', id);
    expect(answer).toMatchObject({ status: 200, body: { accepted: true, enqueued: false, skipped: expect.stringMatching(/^disabled after hostnet enabled it; .*fix: /) } });
    await new Promise((r) => setTimeout(r, 2_000)); // room for a run to show up if there were one
    expect(enables(id)).toBe(before);
    expect(csHost(id).resourceState).toBe('Disabled');
    expect((await h.view(id))!.latest.phase).toBe('enabled');
  }, 60_000);

  it("an operator's run of it configures it and leaves it Disabled, unless they ask for the enable", async () => {
    const { id } = h.host('kvm1');
    const before = enables(id);
    expect((await h.configure(id, { force: true, requestedBy: 'e2e-od-plain' })).body.enqueued).toBe(true);
    const latest = await handled(id, 'e2e-od-plain');
    expect(['verified', 'no-op']).toContain(latest.phase);
    expect(latest.reason).toMatch(/^not enabled: left Disabled by choice: the host was disabled in CloudStack after hostnet enabled it .*fix: .*--enable/);
    await h.waitForNoRun(id);
    expect(enables(id)).toBe(before);
    expect(csHost(id).resourceState).toBe('Disabled');

    // a run of a host hostnet left Disabled by choice keeps it so
    expect((await h.configure(id, { force: true, requestedBy: 'e2e-od-again' })).body.enqueued).toBe(true);
    expect((await handled(id, 'e2e-od-again')).reason).toMatch(/^not enabled: left Disabled by choice: the host was disabled in CloudStack after hostnet enabled it/);
    expect(enables(id)).toBe(before);

    expect((await h.configure(id, { force: true, enable: true, requestedBy: 'e2e-od-enable' })).body.enqueued).toBe(true);
    await h.waitForPhase(id, 'enabled', 'e2e-od-enable');
    await h.waitForNoRun(id);
    expect(updates(id).slice(before).map((c) => c.params.allocationstate)).toEqual(['Enable']);
    expect(csHost(id).resourceState).toBe('Enabled');
  }, 90_000);

  it('an Enabled host disabled while its run is under way is left Disabled', async () => {
    const { id } = h.host('kvm1');
    const before = enables(id);
    expect((await h.configure(id, { force: true, requestedBy: 'e2e-od-during' })).body.enqueued).toBe(true);
    // the trigger saw it Enabled; it is disabled before its run ends
    csHost(id).resourceState = 'Disabled';
    const latest = await handled(id, 'e2e-od-during');
    expect(latest.reason).toMatch(/showed the host Enabled when this run was triggered and shows it Disabled now: someone disabled it during the run/);
    expect(enables(id)).toBe(before);
    expect(csHost(id).resourceState).toBe('Disabled');
  }, 60_000);

  it('a host Disabled at its trigger that the poller lists Enabled during the run, then Disabled again, is left Disabled', async () => {
    const { id, record } = h.host('kvm2');
    await h.waitForPhase(id, 'enabled');
    await h.waitForNoRun(id);
    csHost(id).resourceState = 'Disabled';
    const before = enables(id);
    // the operator asks for the enable: only what CloudStack shows during the run withholds it
    expect((await h.configure(id, { force: true, enable: true, requestedBy: 'e2e-od-flip' })).body.enqueued).toBe(true);
    csHost(id).resourceState = 'Enabled';
    await h.api.get(HostPollerService).pollZone(record.zoneId);
    csHost(id).resourceState = 'Disabled';
    const latest = await handled(id, 'e2e-od-flip');
    expect(latest.reason).toMatch(/^not enabled: left Disabled by choice: CloudStack listed the host Enabled at .*, while this run was under way, and shows it Disabled now/);
    expect(enables(id)).toBe(before);
    expect(csHost(id).resourceState).toBe('Disabled');
  }, 60_000);
});
