import { configureHostJobId, QueueName, type ConfigureHostJobData } from '@hostnet/contracts';
import { HostStatusRepository } from '../../apps/api/src/hosts/host-status.repository';
import { HostPollerService } from '../../apps/api/src/poller/host-poller.service';
import { HostLock } from '../../apps/api/src/runs/host-lock';
import { HostRunRegistry } from '../../apps/api/src/runs/host-run.registry';
import { PipelineHarness } from '../support/pipeline-harness';

/**
 * The poller skips a Disabled host whose run is under way ("enabling is in progress"). A run that can no longer
 * end (its job gone with no result, api stopped before the enable) would keep it Disabled for ever: the next
 * pass re-runs it, and leaves alone every run that can still end.
 */
describe('a lost run is re-run by the next poller pass', () => {
  let h: PipelineHarness;

  beforeAll(async () => {
    // No worker until the pass has decided: jobs wait, and the test decides which runs are lost.
    h = await PipelineHarness.start({ hosts: 5, worker: false, env: { POLL_INTERVAL_MS: '0' } });
  }, 60_000);
  afterAll(async () => h?.stop());

  const long = () => new Date(Date.now() - 60_000).toISOString(); // past the enqueue grace
  const enables = (id: string) => h.zone.cloudstack.calls.of('updateHost').filter((c) => c.params.id === id).map((c) => c.params.allocationstate);
  const jobs = () => h.queue<ConfigureHostJobData>(QueueName.HostNetwork);

  /** An operator's run of `name`, its record and its registered run dated a minute back; its job removed when `lose`. */
  const started = async (name: string, phase: 'queued' | 'applying' | 'verified', lose: boolean, enable = false) => {
    const { id } = h.host(name);
    const statuses = h.api.get(HostStatusRepository);
    const runs = h.api.get(HostRunRegistry);
    const answer = await h.configure(id, { requestedBy: `e2e-lost-${name}`, ...(enable ? { enable } : {}) });
    expect(answer.body.enqueued).toBe(true);
    if (lose) await jobs().remove(configureHostJobId(id));
    const run = (await runs.current(id))!;
    // verified: the worker reported and api recorded the result, then stopped before the enable (its result job gone)
    await runs.replace(id, run.runId, { ...run, at: long(), ...(phase === 'verified' ? { resultJobId: `result-gone-${name}` } : {}) });
    await statuses.record({ ...(await statuses.latest(id))!, phase, at: long() });
    return { id, runId: run.runId };
  };

  it('re-runs a queued, an applying and a verified run whose job and result are gone, each enabled once (an operator\'s --enable kept); leaves a live run and a held host alone', async () => {
    const queued = await started('kvm1', 'queued', true);
    const applying = await started('kvm2', 'applying', true);
    const live = await started('kvm3', 'queued', false);
    const verified = await started('kvm4', 'verified', true);
    // hostnet enabled kvm5 once and someone disabled it since: only an operator's --enable has it enabled, and the
    // re-run of their lost run keeps that ask (a fresh trigger's allocation would withhold the enable)
    const { record: kvm5 } = h.host('kvm5');
    await h.api.get(HostStatusRepository).record({ hostId: kvm5.id, hostName: 'kvm5', zoneId: kvm5.zoneId, phase: 'enabled', at: long() });
    const asked = await started('kvm5', 'applying', true, true);
    const liveJob = (await jobs().getJob(configureHostJobId(live.id)))!.data.requestId;

    // kvm4's result handler is still at work (it holds the host's lock, renewing it): its run is not lost yet
    const zoneId = h.host('kvm1').record.zoneId;
    let release: (() => void) | undefined;
    const handler = h.api.get(HostLock).withLock(verified.id, () => new Promise<void>((r) => (release = r)));
    await h.until('the handler holds kvm4', async () => (release ? true : undefined));
    const first = await h.api.get(HostPollerService).pollZone(zoneId);
    release?.();
    await handler;

    expect([...first.enqueued].sort()).toEqual(['kvm1', 'kvm2', 'kvm5']);
    expect((await jobs().getJob(configureHostJobId(live.id)))!.data.requestId).toBe(liveJob); // untouched: it can still end
    expect((await h.api.get(HostRunRegistry).current(verified.id))?.runId).toBe(verified.runId);
    expect((await h.api.get(HostRunRegistry).current(asked.id))?.allocation).toEqual({ atTrigger: 'Disabled', enable: true, asked: true });
    for (const lost of [queued, applying, asked]) {
      const { latest } = (await h.view(lost.id))!;
      expect(latest).toMatchObject({ phase: 'queued', trigger: { kind: 'poller', detail: expect.stringMatching(new RegExp(`^the earlier run ${lost.runId} was lost \\(its record says (queued|applying), but run ${lost.runId} has no configure job and no pending result left to end it\\); re-running the host$`)) } });
      expect(latest.runId).not.toBe(lost.runId);
      expect(latest.reason).toBe(`replaces run ${lost.runId}, which was lost (no configure job and no pending result were left to end it)`);
    }

    // the handler gone without releasing its run: the next pass re-runs that host too
    const second = await h.api.get(HostPollerService).pollZone(zoneId);
    expect(second.enqueued).toEqual(['kvm4']);

    await h.startWorker();
    for (const name of ['kvm1', 'kvm2', 'kvm3', 'kvm4', 'kvm5']) {
      const { id } = h.host(name);
      await h.waitForPhase(id, 'enabled');
      await h.waitForNoRun(id);
    }
    await new Promise((r) => setTimeout(r, 1_000)); // room for a second enable to show up
    for (const name of ['kvm1', 'kvm2', 'kvm3', 'kvm4', 'kvm5']) expect({ name, enables: enables(h.host(name).id) }).toEqual({ name, enables: ['Enable'] });
    // enabled and done: the next pass has nothing to run
    expect((await h.api.get(HostPollerService).pollZone(zoneId)).enqueued).toEqual([]);
  }, 120_000);
});
