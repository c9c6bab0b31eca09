import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { renderHostDrawer } from '../../apps/api/src/dashboard/host-drawer.renderer';
import { runsOf } from '../../apps/api/src/dashboard/run-timeline';
import type { HostStatusRecord } from '../../apps/api/src/hosts/host-status.types';
import { formatHostView } from '../../apps/cli/src/commands/host-status-report';
import type { SimulatedKvmHost } from '../../apps/simulator/src/kvm-host';
import type { LiveState } from '../../libs/intent/src/domain/live-state';
import { snapshotChanges, snapshotFiles } from '../support/host-files';
import { PipelineHarness } from '../support/pipeline-harness';

/** What `ip -j link show` tells of each link's MTU on a simulated host: what the worker's facts read. */
function mtus(kvm: SimulatedKvmHost): Record<string, number> {
  const links = JSON.parse(execFileSync('node', [join(kvm.rootDir, '.sim/lib/ip.js'), '-j', 'link', 'show'], { encoding: 'utf8' })) as { ifname: string; mtu: number }[];
  return Object.fromEntries(links.filter((l) => l.ifname !== 'lo').map((l) => [l.ifname, l.mtu]));
}

/** A VM's tap (vnetN, made by libvirt for the CloudStack agent) on a bridge of a simulated host, as the kernel runs it: not hostnet's. */
function addVmTap(kvm: SimulatedKvmHost, name: string, bridge: string, mtu: number): void {
  const sim = join(kvm.rootDir, '.sim');
  const state = JSON.parse(readFileSync(join(sim, 'live-state.json'), 'utf8')) as LiveState;
  state.links = [
    ...state.links.map((l) => (l.name === bridge ? { ...l, members: [...(l.members ?? []), name].sort() } : l)),
    { name, kind: 'nic', master: bridge, up: true, ...(mtu === 1500 ? {} : { mtu }) },
  ];
  // the stand-ins' own state writer: it refreshes the cached ip answers the facts read
  (require(join(sim, 'lib/sim-state.js')) as { writeState: (state: LiveState, dir: string) => void }).writeState(state, sim);
}

const ipOnHost = (kvm: SimulatedKvmHost, ...args: string[]) => execFileSync('node', [join(kvm.rootDir, '.sim/lib/ip.js'), ...args]);

const at = (mtu: number) => ({ bond0: mtu, eth0: mtu, eth1: mtu, 'bond0.100': mtu, cloudbr0: mtu, cloudbr100: mtu });

/**
 * Taking jumbo frames back through hostnet on Linux-bridge hosts (netplan, ifupdown): physnet1's network
 * applied at `mtu: 9000`, then a profile silent about MTU is refused (it would lower them unasked), and one
 * that sets `mtu: 1500` explicitly lowers bond0, its members, the storage VLAN and both bridges, verified.
 */
describe('lowering a jumbo MTU the profile sets explicitly', () => {
  let h: PipelineHarness;
  const names = ['kvm1', 'kvm2'];
  const run = (view: { history: HostStatusRecord[] }, by: string) => view.history.find((r) => r.trigger?.by === by && r.outcome !== undefined)!;
  const setNetworkMtu = async (mtu: number | undefined) => {
    const file = h.env.HOSTNET_PROFILES!;
    const profiles = parse(readFileSync(file, 'utf8'));
    if (mtu === undefined) delete profiles.profiles['linux-bridge'].networks[0].mtu;
    else profiles.profiles['linux-bridge'].networks[0].mtu = mtu;
    writeFileSync(file, stringify(profiles));
    expect((await h.request('POST', '/profiles/reload')).status).toBe(200);
  };

  beforeAll(async () => {
    h = await PipelineHarness.start({ hosts: 2, personas: ['ubuntu2204', 'debian12'], env: { POLL_INTERVAL_MS: '0' } });
    await setNetworkMtu(9000);
    for (const name of names) expect((await h.configure(h.host(name).id, { requestedBy: 'jumbo' })).status).toBe(202);
    for (const name of names) {
      const { kvm, id } = h.host(name);
      expect(run(await h.waitForPhase(id, 'enabled', 'jumbo', 90_000), 'jumbo').outcome).toMatchObject({ status: 'applied', verification: { ok: true } });
      expect(mtus(kvm)).toMatchObject(at(9000));
    }
  }, 150_000);
  afterAll(async () => h?.stop());

  it('a profile that drops the mtu is refused before any change, naming the devices it says nothing for and both fixes', async () => {
    await setNetworkMtu(undefined);
    for (const name of names) {
      const { kvm, id } = h.host(name);
      await h.waitForNoRun(id);
      const before = snapshotFiles(kvm.rootDir);
      expect((await h.configure(id, { requestedBy: `silent-${name}`, force: true })).status).toBe(202);
      const { latest } = await h.waitForPhase(id, 'failed', `silent-${name}`);
      expect(latest.outcome?.reason).toMatch(/^MtuLoweringError: mtu: this run would lower eth0 from 9000 to 1500, eth1 from 9000 to 1500, bond0 from 9000 to 1500, bond0\.100 from 9000 to 1500 \(they run larger frames now, and the host's profile sets no mtu for them,/);
      expect(latest.outcome?.reason).toContain('fix: set mtu: 9000 on the profile\'s networks carrying them (or its extras entry) if the larger frames are meant, or mtu: 1500 there to have the run lower them');
      expect(latest.outcome).toMatchObject({ status: 'failed', steps: [], verification: { ok: false, checks: [] } });
      expect(snapshotChanges(before, snapshotFiles(kvm.rootDir))).toEqual([]);
      expect(mtus(kvm)).toMatchObject(at(9000));
      // what an operator reads: a refusal, not a failed verification, and the live differences it found
      const view = (await h.view(id))!;
      expect(formatHostView(view)).toContain('\nlast run: failed, target ');
      expect(formatHostView(view)).toMatch(/, not verified: refused before any change: MtuLoweringError: mtu: this run would lower eth0/);
      expect(formatHostView(view)).not.toContain('verification failed');
      const drawer = renderHostDrawer({ latest: view.latest, runs: runsOf(view.history), rejected: [] });
      expect(drawer).toContain('Not verified: refused before any change: MtuLoweringError');
      expect(drawer).toContain('<li><code>bond0 has MTU 9000, expected 1500</code></li>');
      expect(drawer).not.toContain('Verification failed.');
    }
  }, 90_000);

  it('a dry-run refused the same way is told apart from an apply', async () => {
    const { id } = h.host('kvm1');
    await h.waitForNoRun(id);
    expect((await h.configure(id, { requestedBy: 'silent-dry', dryRun: true })).status).toBe(202);
    let view = await h.view(id);
    for (let i = 0; i < 300 && !(view?.latest.trigger?.by === 'silent-dry' && view.latest.outcome); i++) {
      await new Promise((r) => setTimeout(r, 100));
      view = await h.view(id);
    }
    expect(view!.latest).toMatchObject({ dryRun: true, outcome: { status: 'failed', steps: [] } });
    expect(formatHostView(view!)).toContain('\nlast run: failed (dry-run), target ');
    expect(renderHostDrawer({ latest: view!.latest, runs: runsOf(view!.history), rejected: [] })).toMatch(/silent-dry · <span class="dry-run">dry-run<\/span> → <strong class="phase">failed<\/strong>/);
  }, 60_000);

  it('an explicit mtu: 1500 is applied: files written, bond0, its members, the VLAN and the bridges lowered by ip steps, verified; a re-run is a no-op', async () => {
    await setNetworkMtu(1500);
    for (const name of names) {
      const { kvm, id } = h.host(name);
      await h.waitForNoRun(id);
      expect((await h.configure(id, { requestedBy: `lower-${name}`, force: true })).status).toBe(202);
      const lowered = run(await h.waitForPhase(id, 'enabled', `lower-${name}`, 90_000), `lower-${name}`);
      expect(lowered.outcome).toMatchObject({ status: 'applied', verification: { ok: true } });
      for (const dev of ['bond0', 'eth0', 'eth1', 'bond0.100', 'cloudbr0', 'cloudbr100']) {
        expect(lowered.outcome!.verification!.checks).toContainEqual(expect.objectContaining({ name: `link ${dev}`, ok: true }));
        expect(lowered.outcome!.diff!.live).toContain(`${dev} has MTU 9000, expected 1500`);
      }
      expect(lowered.outcome!.diff!.files.some((f) => f.change === 'update')).toBe(true);
      // lowered children first: the bridges, the VLAN, the members, then the bond
      const steps = (lowered.outcome!.steps ?? []).filter((s) => s.name.startsWith('mtu-'));
      expect(steps.map((s) => s.name)).toEqual(['mtu-cloudbr0', 'mtu-cloudbr100', 'mtu-bond0.100', 'mtu-eth0', 'mtu-eth1', 'mtu-bond0']);
      expect((lowered.outcome!.steps ?? []).every((s) => s.exitCode === 0)).toBe(true);
      expect(mtus(kvm)).toMatchObject(at(1500));

      expect((await h.configure(id, { requestedBy: `again-${name}` })).status).toBe(202);
      const again = run(await h.waitForPhase(id, 'enabled', `again-${name}`), `again-${name}`);
      expect(again.outcome).toMatchObject({ status: 'no-op', steps: [], diff: { live: [] } });
    }
  }, 180_000);
  it("a VM's tap running above the MTU the profile now sets refuses the run before any change (a dry-run says so too); at or below it, the run lowers the rest", async () => {
    // back to jumbo frames on kvm1, then a VM started on cloudbr0 with its tap at 9000
    const { kvm, id } = h.host('kvm1');
    await setNetworkMtu(9000);
    await h.waitForNoRun(id);
    expect((await h.configure(id, { requestedBy: 'jumbo-again', force: true })).status).toBe(202);
    expect(run(await h.waitForPhase(id, 'enabled', 'jumbo-again', 90_000), 'jumbo-again').outcome).toMatchObject({ status: 'applied', verification: { ok: true } });
    addVmTap(kvm, 'vnet3', 'cloudbr0', 9000);
    expect(mtus(kvm)).toMatchObject({ ...at(9000), vnet3: 9000 });

    await setNetworkMtu(1500);
    const refusal =
      "MtuAboveForeignPortsError: mtu: this run would lower cloudbr0 from 9000 to 1500, but vnet3 (mtu 9000) on it runs above 1500 (it is not hostnet's: a VM's tap or the CloudStack agent's port, which a run never changes, " +
      "so the VM's frames larger than the bridge's new MTU would be dropped), nothing was changed; fix: stop or migrate the VMs on cloudbr0 (put the host in maintenance), or lower that interface to 1500 or less first, then re-run";
    expect((await h.configure(id, { requestedBy: 'tap-dry', dryRun: true })).status).toBe(202);
    let dry = await h.view(id);
    for (let i = 0; i < 300 && !(dry?.latest.trigger?.by === 'tap-dry' && dry.latest.outcome); i++) {
      await new Promise((r) => setTimeout(r, 100));
      dry = await h.view(id);
    }
    expect(dry!.latest).toMatchObject({ dryRun: true, outcome: { status: 'failed', reason: refusal, steps: [] } });

    const before = snapshotFiles(kvm.rootDir);
    expect((await h.configure(id, { requestedBy: 'tap-refused', force: true })).status).toBe(202);
    const { latest } = await h.waitForPhase(id, 'failed', 'tap-refused');
    expect(latest.outcome).toMatchObject({ status: 'failed', reason: refusal, steps: [], verification: { ok: false, checks: [] } });
    expect(snapshotChanges(before, snapshotFiles(kvm.rootDir))).toEqual([]);
    expect(mtus(kvm)).toMatchObject({ ...at(9000), vnet3: 9000 });
    // what an operator reads: the whole refusal as the host's reason, and a run refused rather than failed verification
    const view = formatHostView((await h.view(id))!);
    expect(view).toContain(`\nreason: ${refusal}\n`);
    expect(view).toMatch(/, not verified: refused before any change: MtuAboveForeignPortsError: mtu: this run would lower cloudbr0 from 9000 to 1500, but vnet3/);

    // the VM's interface lowered first (the bridge follows its smallest port, as the kernel's does): the run goes ahead
    ipOnHost(kvm, 'link', 'set', 'dev', 'vnet3', 'mtu', '1500');
    expect(mtus(kvm)).toMatchObject({ vnet3: 1500, cloudbr0: 1500, bond0: 9000 });
    expect((await h.configure(id, { requestedBy: 'tap-lowered', force: true })).status).toBe(202);
    const lowered = run(await h.waitForPhase(id, 'enabled', 'tap-lowered', 90_000), 'tap-lowered');
    expect(lowered.outcome).toMatchObject({ status: 'applied', verification: { ok: true } });
    const steps = lowered.outcome!.steps ?? [];
    expect(steps.filter((s) => s.name.startsWith('mtu-')).map((s) => s.name)).toEqual(['mtu-cloudbr100', 'mtu-bond0.100', 'mtu-eth0', 'mtu-eth1', 'mtu-bond0']);
    expect(steps.every((s) => s.exitCode === 0)).toBe(true);
    // the VM's tap is still in its bridge: no step named it (above) and the activation left it plugged in
    expect(mtus(kvm)).toMatchObject({ ...at(1500), vnet3: 1500 });
    expect(kvm.readLiveState().links.find((l) => l.name === 'vnet3')).toMatchObject({ master: 'cloudbr0' });
  }, 180_000);
});
