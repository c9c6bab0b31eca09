import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { HostStatusRecord } from '../../apps/api/src/hosts/host-status.types';
import type { SimulatedKvmHost } from '../../apps/simulator/src/kvm-host';
import { snapshotChanges, snapshotFiles } from '../support/host-files';
import { PipelineHarness } from '../support/pipeline-harness';

/** What `ip -j link show` tells of each link's MTU on a simulated host: what the worker's facts read. */
function mtus(kvm: SimulatedKvmHost): Record<string, number> {
  const links = JSON.parse(execFileSync('node', [join(kvm.rootDir, '.sim/lib/ip.js'), '-j', 'link', 'show'], { encoding: 'utf8' })) as { ifname: string; mtu: number }[];
  return Object.fromEntries(links.filter((l) => l.ifname !== 'lo').map((l) => [l.ifname, l.mtu]));
}

/** An operator's `ip link set dev DEV mtu N` on the host, as its kernel takes it (bond members, VLANs and bridges follow). */
const setMtuByHand = (kvm: SimulatedKvmHost, dev: string, mtu: number) => execFileSync('node', [join(kvm.rootDir, '.sim/lib/ip.js'), 'link', 'set', 'dev', dev, 'mtu', String(mtu)]);

const JUMBO = { bond0: 9000, eth0: 9000, eth1: 9000, 'bond0.100': 9000, cloudbr0: 9000, cloudbr100: 9000, bond1: 1500, eth2: 1500, eth3: 1500, cloudbr1: 1500 };

/**
 * A profile's `mtu: 9000` on the Linux-bridge targets (netplan, ifupdown, NetworkManager): the devices run at it
 * and verification holds them to it, a re-run is a no-op, and an MTU lowered by hand is drift that a run repairs.
 */
describe.each(['scripts', 'lean'] as const)('jumbo frames on simulated Linux-bridge hosts (%s host model)', (hostModel) => {
  let h: PipelineHarness;
  const names = ['kvm1', 'kvm2', 'kvm3'];
  const run = (view: { history: HostStatusRecord[] }, by: string) => view.history.find((r) => r.trigger?.by === by && r.outcome !== undefined)!;

  beforeAll(async () => {
    h = await PipelineHarness.start({ hosts: 3, personas: ['ubuntu2204', 'debian12', 'rocky9'], hostModel, env: { POLL_INTERVAL_MS: '0' } });
    // physnet1's network (bond0 under cloudbr0, the storage VLAN on it) at 9000
    const file = h.env.HOSTNET_PROFILES!;
    const profiles = parse(readFileSync(file, 'utf8'));
    profiles.profiles['linux-bridge'].networks[0].mtu = 9000;
    writeFileSync(file, stringify(profiles));
    expect((await h.request('POST', '/profiles/reload')).status).toBe(200);
  }, 30_000);
  afterAll(async () => h?.stop());

  it('a first run applies mtu 9000 and verifies it on bond0, its members, the VLAN and both bridges; bond1 stays at 1500', async () => {
    for (const name of names) expect((await h.configure(h.host(name).id, { requestedBy: 'mtu-first' })).status).toBe(202);
    for (const name of names) {
      const { kvm, id } = h.host(name);
      const first = run(await h.waitForPhase(id, 'enabled', 'mtu-first', 90_000), 'mtu-first');
      expect(first.outcome).toMatchObject({ status: 'applied', verification: { ok: true } });
      const checks = first.outcome!.verification!.checks;
      for (const dev of ['bond0', 'eth0', 'bond0.100', 'cloudbr0']) expect(checks).toContainEqual(expect.objectContaining({ name: `link ${dev}`, ok: true }));
      expect(mtus(kvm)).toMatchObject(JUMBO);
    }
  }, 150_000);

  it('a re-run is a no-op: nothing written, nothing activated, no MTU step', async () => {
    const before = names.map((name) => snapshotFiles(h.host(name).kvm.rootDir));
    for (const name of names) expect((await h.configure(h.host(name).id, { requestedBy: 'mtu-again' })).status).toBe(202);
    for (const [i, name] of names.entries()) {
      const { kvm, id } = h.host(name);
      const again = run(await h.waitForPhase(id, 'enabled', 'mtu-again'), 'mtu-again');
      expect(again.outcome).toMatchObject({ status: 'no-op', steps: [], diff: { live: [] } });
      expect(snapshotChanges(before[i]!, snapshotFiles(kvm.rootDir))).toEqual([]);
    }
  }, 90_000);

  it.each(names)('%s: bond0 lowered by hand is drift the live diff names, and a run with no file to write puts it back with ip steps, verified', async (name) => {
    const { kvm, id } = h.host(name);
    await h.waitForNoRun(id);
    setMtuByHand(kvm, 'bond0', 1500);
    expect(mtus(kvm)).toMatchObject({ bond0: 1500, eth0: 1500, 'bond0.100': 1500, cloudbr0: 1500, cloudbr100: 1500 });

    expect((await h.configure(id, { dryRun: true, requestedBy: `mtu-drift-${name}` })).status).toBe(202);
    const { latest: drift } = await h.waitForDryRun(id, `mtu-drift-${name}`);
    expect(drift.drifted).toBe(true);
    expect(drift.outcome!.diff!.files.every((f) => f.change === 'same')).toBe(true);
    expect(drift.outcome!.diff!.live).toEqual(expect.arrayContaining(['bond0 has MTU 1500, expected 9000', 'eth0 has MTU 1500, expected 9000', 'bond0.100 has MTU 1500, expected 9000', 'cloudbr0 has MTU 1500, expected 9000']));

    expect((await h.configure(id, { requestedBy: `mtu-repair-${name}` })).status).toBe(202);
    const repair = run(await h.waitForPhase(id, 'enabled', `mtu-repair-${name}`), `mtu-repair-${name}`);
    expect(repair.outcome).toMatchObject({ status: 'applied', verification: { ok: true } });
    expect(repair.outcome!.diff!.files.every((f) => f.change === 'same')).toBe(true);
    const steps = (repair.outcome!.steps ?? []).map((s) => s.name);
    // parents first: the bond (its members follow), the VLAN on it, then the bridges, which followed their ports.
    // (netplan apply and nmcli reload run too; only the ifupdown host, kvm2, runs no activation at all.)
    expect(steps.filter((s) => s.startsWith('mtu-'))).toEqual(['mtu-bond0', 'mtu-eth0', 'mtu-eth1', 'mtu-bond0.100', 'mtu-cloudbr0', 'mtu-cloudbr100']);
    expect((repair.outcome!.steps ?? []).every((s) => s.exitCode === 0)).toBe(true);
    expect(mtus(kvm)).toMatchObject(JUMBO);
    expect(repair.drifted).toBe(false);
  }, 90_000);

  it('kvm2 (ifupdown): a bridge taken down by hand is drift a run with no file to write brings back up, verified', async () => {
    const { kvm, id } = h.host('kvm2');
    await h.waitForNoRun(id);
    execFileSync('node', [join(kvm.rootDir, '.sim/lib/ip.js'), 'link', 'set', 'dev', 'cloudbr1', 'down']);

    expect((await h.configure(id, { requestedBy: 'down-repair' })).status).toBe(202);
    const repair = run(await h.waitForPhase(id, 'enabled', 'down-repair'), 'down-repair');
    expect(repair.outcome).toMatchObject({ status: 'applied', verification: { ok: true }, diff: { live: ['cloudbr1 is down'] } });
    expect(repair.outcome!.diff!.files.every((f) => f.change === 'same')).toBe(true);
    // no ifup (ifupdown holds cloudbr1 up in its state, and its file did not change): the step alone (beside
    // the bridge netfilter drop-in every Debian run re-applies)
    const steps = (repair.outcome!.steps ?? []).filter((s) => s.name !== 'sysctl-bridge');
    expect(steps.map((s) => [s.name, s.exitCode])).toEqual([['up-cloudbr1', 0]]);
  }, 90_000);
});
