import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { snapshotChanges, snapshotFiles } from '../support/host-files';
import { PipelineHarness, type HostView } from '../support/pipeline-harness';

const AGENT_PROPERTIES = '/etc/cloudstack/agent/agent.properties';

/**
 * The zone's labels changed in CloudStack by hand after the host was added: its agent.properties still names
 * the old bridges (cloudstack-setup-agent wrote them at addHost; only `hostnet relabel` moves them). A normal
 * run must not delete a bridge it names, nor restart an agent that would not start again.
 */
describe('agent.properties on a host whose labels moved by hand', () => {
  let h: PipelineHarness;
  const props = (devices: { private: string; public: string; guest: string }) =>
    `workers=5\nprivate.network.device=${devices.private}\npublic.network.device=${devices.public}\nguest.network.device=${devices.guest}\nhost=192.168.100.10\n`;
  const writeProps = (content: string) => {
    const path = join(h.host('kvm1').kvm.rootDir, AGENT_PROPERTIES);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  };
  const links = () => new Set(h.host('kvm1').kvm.readLiveState().links.map((l) => l.name));
  const setLabel = (type: string, label: string) => (h.zone.cloudstack.state.trafficTypes.find((t) => t.trafficType === type)!.kvmNetworkLabel = label);
  const marker = () => readFileSync(join(h.host('kvm1').kvm.rootDir, 'var/lib/hostnet/agent-restarted'), 'utf8');
  const ended = (id: string, by: string): Promise<HostView> =>
    h.until(`run ${by} ended`, async () => {
      const view = await h.view(id);
      return view?.latest.trigger?.by === by && view.latest.outcome !== undefined ? view : undefined;
    });

  beforeAll(async () => {
    h = await PipelineHarness.start({ hosts: 1, personas: ['ubuntu2204'], env: { POLL_INTERVAL_MS: '0', DRIFT_INTERVAL_MS: '0' } });
  }, 30_000);
  afterAll(async () => h?.stop());

  it('refuses retiring the bridge it names (dry-run and apply), runs once the operator edits it, and never restarts an agent that would not start', async () => {
    const { id } = h.host('kvm1');
    writeProps(props({ private: 'cloudbr0', public: 'cloudbr1', guest: 'cloudbr0' }));
    expect((await h.configure(id, { requestedBy: 'first' })).body.enqueued).toBe(true);
    const first = await h.waitForPhase(id, 'enabled', 'first', 90_000);
    expect(first.history.find((r) => r.outcome?.status === 'applied')?.outcome?.agentRestart).toEqual({ status: 'restarted' });

    // Public moves to cloudbr7 in CloudStack by hand: agent.properties still names cloudbr1, which hostnet made.
    setLabel('Public', 'cloudbr7');
    const refusal = /^AgentDeviceRetiredError: \/etc\/cloudstack\/agent\/agent\.properties names cloudbr1 \(public\.network\.device\), and this run would delete it .*fix: move the labels with the agent by `hostnet relabel`/;
    expect((await h.configure(id, { dryRun: true, requestedBy: 'dry' })).body.enqueued).toBe(true);
    const dry = await ended(id, 'dry');
    expect([dry.latest.outcome?.status, dry.latest.outcome?.reason]).toEqual(['failed', expect.stringMatching(refusal)]);
    const files = snapshotFiles(h.host('kvm1').kvm.rootDir, (p) => p.startsWith('.sim'));
    expect((await h.configure(id, { requestedBy: 'moved' })).body.enqueued).toBe(true);
    const moved = await h.waitForPhase(id, 'failed', 'moved');
    expect([moved.latest.outcome?.reason, moved.latest.outcome?.steps]).toEqual([expect.stringMatching(refusal), []]);
    expect([links().has('cloudbr1'), links().has('cloudbr7')]).toEqual([true, false]);
    expect(snapshotChanges(files, snapshotFiles(h.host('kvm1').kvm.rootDir, (p) => p.startsWith('.sim')))).toEqual([]);

    // The operator points agent.properties at cloudbr7: the run builds it, retires cloudbr1, restarts the agent.
    writeProps(props({ private: 'cloudbr0', public: 'cloudbr7', guest: 'cloudbr0' }));
    expect((await h.configure(id, { requestedBy: 'edited' })).body.enqueued).toBe(true);
    const edited = await h.waitForPhase(id, 'enabled', 'edited');
    const editedRun = edited.history.find((r) => r.trigger?.by === 'edited' && r.outcome?.status === 'applied');
    expect([editedRun?.outcome?.agentRestart, editedRun?.outcome?.reason]).toEqual([{ status: 'restarted' }, undefined]);
    expect([links().has('cloudbr1'), links().has('cloudbr7')]).toEqual([false, true]);
    const restartedFor = marker();

    // A gap the run did not cause (guest names cloudbr9, which the host never had): the run applies and the host
    // is enabled, the agent is not restarted (it would not start again), and the outcome says so.
    setLabel('Public', 'cloudbr8');
    writeProps(props({ private: 'cloudbr0', public: 'cloudbr8', guest: 'cloudbr9' }));
    expect((await h.configure(id, { dryRun: true, requestedBy: 'gap-dry' })).body.enqueued).toBe(true);
    const gapDry = (await ended(id, 'gap-dry')).latest.outcome!;
    expect([gapDry.status, gapDry.planned?.some((s) => s.name === 'ovs-add-br-cloudbr8' || s.phase === 'activate'), gapDry.planned?.at(-1)?.name]).toEqual(['dry-run', true, expect.not.stringMatching(/^agent-restart$/)]);
    expect(gapDry.reason).toMatch(/^\/etc\/cloudstack\/agent\/agent\.properties names cloudbr9 \(guest\.network\.device\), .*not this run's doing/);
    expect((await h.configure(id, { requestedBy: 'gap' })).body.enqueued).toBe(true);
    const gap = await h.waitForPhase(id, 'enabled', 'gap');
    const gapRun = gap.history.find((r) => r.trigger?.by === 'gap' && r.outcome?.status === 'applied')!;
    expect(gapRun.outcome?.agentRestart).toEqual({ status: 'skipped', detail: expect.stringMatching(/names cloudbr9 \(guest\.network\.device\), which the host does not have, before this run or after it/) });
    expect(gapRun.outcome?.steps?.at(-1)).toEqual({ name: 'agent-restart-skipped', durationMs: 0, exitCode: 0 });
    expect(gapRun.outcome?.reason).toMatch(/^applied, agent not restarted: .*so hostnet did not restart it; fix: edit/);
    expect(marker()).toBe(restartedFor);
    expect(h.zone.cloudstack.state.hosts[0]).toMatchObject({ resourceState: 'Enabled' });

    // A no-op says it too.
    expect((await h.configure(id, { requestedBy: 'noop' })).body.enqueued).toBe(true);
    const noop = await h.waitForPhase(id, 'enabled', 'noop');
    const noopRun = noop.history.find((r) => r.trigger?.by === 'noop' && r.outcome?.status === 'no-op');
    expect(noopRun?.outcome?.reason).toMatch(/^\/etc\/cloudstack\/agent\/agent\.properties names cloudbr9 \(guest\.network\.device\), .*not this run's doing/);
  }, 240_000);
});
