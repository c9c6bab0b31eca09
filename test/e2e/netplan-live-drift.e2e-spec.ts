import { execFileSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LiveState } from '@hostnet/intent';
import type { HostStatusRecord } from '../../apps/api/src/hosts/host-status.types';
import type { SimulatedKvmHost } from '../../apps/simulator/src/kvm-host';
import { snapshotChanges, snapshotFiles } from '../support/host-files';
import { PipelineHarness } from '../support/pipeline-harness';
import { editLive } from '../support/sim-live-state';

const ipOnHost = (kvm: SimulatedKvmHost, ...args: string[]) => execFileSync('node', [join(kvm.rootDir, '.sim/lib/ip.js'), ...args], { encoding: 'utf8' });


/** The CloudStack agent's guest VLAN 200 on bond1: bond1.200 in brbond1-200 with a VM's tap, none of it hostnet's. */
const withAgentVlan = (state: LiveState): LiveState => ({
  ...state,
  links: [
    ...state.links,
    { name: 'bond1.200', kind: 'vlan', parent: 'bond1', vlanId: 200, master: 'brbond1-200', up: true },
    { name: 'brbond1-200', kind: 'bridge', members: ['bond1.200', 'vnet5'], up: true },
    { name: 'vnet5', kind: 'nic', master: 'brbond1-200', up: true },
  ],
});

const NM_ALL = '/etc/netplan/01-network-manager-all.yaml';

/** Ubuntu desktop's netplan file that hands every device to NetworkManager, and NetworkManager itself, on a simulated host. */
async function becomeDesktop(kvm: SimulatedKvmHost): Promise<void> {
  await kvm.installTools(['nmcli']);
  writeFileSync(join(kvm.rootDir, NM_ALL), 'network:\n  version: 2\n  renderer: NetworkManager\n');
  chmodSync(join(kvm.rootDir, NM_ALL), 0o600);
}

/**
 * netplan hosts hostnet configured, whose files are the run's already: live drift is mended without `netplan apply`
 * where a link set up does it (the apply would have networkd reconfigure every link, the agent's VLAN on bond1 with
 * it), and judged where only the apply mends it; a desktop's 01-network-manager-all.yaml that came after hostnet's run
 * does not turn a re-run into a refusal, while a host that has it before its first run is refused.
 */
describe.each(['scripts', 'lean'] as const)('netplan hosts hostnet configured: live drift and a desktop renderer file (%s host model)', (hostModel) => {
  let h: PipelineHarness;
  const run = (view: { history: HostStatusRecord[] }, by: string) => view.history.find((r) => r.trigger?.by === by && r.outcome !== undefined)!;

  beforeAll(async () => {
    h = await PipelineHarness.start({ hosts: 3, personas: ['ubuntu2204', 'ubuntu2204', 'ubuntu2204'], hostModel, env: { POLL_INTERVAL_MS: '0', DRIFT_INTERVAL_MS: '0' } });
    for (const name of ['kvm1', 'kvm2']) expect((await h.configure(h.host(name).id, { requestedBy: 'first' })).status).toBe(202);
    for (const name of ['kvm1', 'kvm2']) expect(run(await h.waitForPhase(h.host(name).id, 'enabled', 'first', 90_000), 'first').outcome).toMatchObject({ status: 'applied', verification: { ok: true } });
  }, 150_000);
  afterAll(async () => h?.stop());

  it("kvm1: cloudbr1 down with the agent's bond1.200 on bond1: `ip link set up` mends it, verified; netplan apply never runs (a fault armed on it stays armed)", async () => {
    const { kvm, id } = h.host('kvm1');
    await h.waitForNoRun(id);
    editLive(kvm, withAgentVlan);
    ipOnHost(kvm, 'link', 'set', 'dev', 'cloudbr1', 'down');
    kvm.faults.failCommand = /^netplan apply/;
    try {
      expect((await h.configure(id, { requestedBy: 'down' })).status).toBe(202);
      const repair = run(await h.waitForPhase(id, 'enabled', 'down'), 'down');
      expect(repair.outcome!.diff!.live).toEqual(['cloudbr1 is down']);
      expect(repair.outcome!.diff!.files.every((f) => f.change === 'same')).toBe(true);
      expect(repair.outcome).toMatchObject({ status: 'applied', verification: { ok: true } });
      expect((repair.outcome!.steps ?? []).filter((s) => !['agent-restart'].includes(s.name)).map((s) => [s.name, s.exitCode])).toEqual([['up-cloudbr1', 0]]);
      expect(kvm.faults.failCommand).toEqual(/^netplan apply/);
    } finally {
      kvm.faults.failCommand = undefined;
    }
    expect(kvm.readLiveState().links.find((l) => l.name === 'bond1.200')).toMatchObject({ parent: 'bond1', master: 'brbond1-200', up: true });
  }, 90_000);

  it("kvm1: bond0.100 gone with the agent's bond1.200 still on bond1: only netplan apply makes it again, and that would bounce bond1: refused before any change, naming the drift and the fix; without the agent's VLAN it runs", async () => {
    const { kvm, id } = h.host('kvm1');
    await h.waitForNoRun(id);
    ipOnHost(kvm, 'link', 'del', 'dev', 'bond0.100');
    const before = snapshotFiles(kvm.rootDir);
    expect((await h.configure(id, { requestedBy: 'vlan-gone' })).status).toBe(202);
    const { latest } = await h.waitForPhase(id, 'failed', 'vlan-gone');
    expect(latest.outcome).toMatchObject({ status: 'failed', steps: [] });
    expect(latest.outcome!.reason).toMatch(/^StackedDevicesError: this run's activation would take down bond1 \(under bond1\.200, ports of brbond1-200\): netplan apply /);
    expect(latest.outcome!.reason).toMatch(/the host's files are this run's already, and it would run netplan apply for live drift no narrower step repairs \(vlan bond0\.100 is missing.*\): or repair that by hand/);
    expect(snapshotChanges(before, snapshotFiles(kvm.rootDir))).toEqual([]);

    // the VMs gone from VLAN 200 (the host in maintenance): the agent's devices go, and the apply runs
    ipOnHost(kvm, 'link', 'del', 'dev', 'brbond1-200');
    editLive(kvm, (state) => ({ ...state, links: state.links.filter((l) => !['bond1.200', 'vnet5'].includes(l.name)) }));
    expect((await h.configure(id, { requestedBy: 'vlan-again' })).status).toBe(202);
    const again = run(await h.waitForPhase(id, 'enabled', 'vlan-again'), 'vlan-again');
    expect(again.outcome).toMatchObject({ status: 'applied', verification: { ok: true } });
    expect((again.outcome!.steps ?? []).map((s) => s.name)).toContain('netplan-apply');
    expect(kvm.readLiveState().links.find((l) => l.name === 'bond0.100')).toMatchObject({ parent: 'bond0', master: 'cloudbr100' });
  }, 90_000);

  it("kvm1: forced with nothing drifted and the agent's bond1.200 on bond1: a re-check, verified and enabled; netplan apply never runs (a fault armed on it stays armed)", async () => {
    const { kvm, id } = h.host('kvm1');
    await h.waitForNoRun(id);
    editLive(kvm, withAgentVlan);
    kvm.faults.failCommand = /^netplan apply/;
    try {
      expect((await h.configure(id, { force: true, requestedBy: 'forced' })).status).toBe(202);
      const forced = run(await h.waitForPhase(id, 'enabled', 'forced'), 'forced');
      expect(forced.outcome).toMatchObject({ status: 'applied', verification: { ok: true } });
      expect(forced.outcome!.diff!.live).toEqual([]);
      expect((forced.outcome!.steps ?? []).filter((s) => s.name !== 'agent-restart')).toEqual([]);
      expect(kvm.faults.failCommand).toEqual(/^netplan apply/);
    } finally {
      kvm.faults.failCommand = undefined;
    }
    expect(kvm.readLiveState().links.find((l) => l.name === 'bond1.200')).toMatchObject({ parent: 'bond1', master: 'brbond1-200', up: true });
  }, 90_000);

  it('kvm2: NetworkManager and 01-network-manager-all.yaml installed after hostnet configured it: a re-run is a no-op (hostnet\'s networkd file comes last, netplan gives networkd every device)', async () => {
    const { kvm, id } = h.host('kvm2');
    await h.waitForNoRun(id);
    await becomeDesktop(kvm);
    const before = snapshotFiles(kvm.rootDir);
    expect((await h.configure(id, { requestedBy: 'desktop' })).status).toBe(202);
    const again = run(await h.waitForPhase(id, 'enabled', 'desktop'), 'desktop');
    expect(again.outcome).toMatchObject({ status: 'no-op', steps: [] });
    expect(again.outcome!.diff!.live).toEqual([]);
    expect(snapshotChanges(before, snapshotFiles(kvm.rootDir))).toEqual([]);
  }, 90_000);

  it('kvm3: the same desktop host before hostnet ever ran is refused, naming the file and the fix, with nothing changed', async () => {
    const { kvm, id } = h.host('kvm3');
    await becomeDesktop(kvm);
    const before = snapshotFiles(kvm.rootDir);
    expect((await h.configure(id, { requestedBy: 'desktop-first' })).status).toBe(202);
    const { latest } = await h.waitForPhase(id, 'failed', 'desktop-first');
    expect(latest.reason).toMatch(/netplan hands this host's devices to NetworkManager \(renderer: NetworkManager in \/etc\/netplan\/01-network-manager-all\.yaml\).*fix: hand the host's network to systemd-networkd/);
    expect(snapshotChanges(before, snapshotFiles(kvm.rootDir))).toEqual([]);
    expect((await h.view(id))!.history.some((r) => r.phase === 'enabled')).toBe(false);
  }, 90_000);
});
