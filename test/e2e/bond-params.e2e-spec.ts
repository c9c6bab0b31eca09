import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { HostStatusRecord } from '../../apps/api/src/hosts/host-status.types';
import type { SimulatedKvmHost } from '../../apps/simulator/src/kvm-host';
import { snapshotChanges, snapshotFiles } from '../support/host-files';
import { PipelineHarness } from '../support/pipeline-harness';

const ipOnHost = (kvm: SimulatedKvmHost, ...args: string[]) => execFileSync('node', [join(kvm.rootDir, '.sim/lib/ip.js'), ...args], { encoding: 'utf8' });

/** What `ip -j -d link show` tells of a bond's or bridge's parameters on a simulated host: what the worker's facts read. */
function infoData(kvm: SimulatedKvmHost, dev: string): Record<string, unknown> {
  const [link] = JSON.parse(ipOnHost(kvm, '-j', '-d', 'link', 'show', 'dev', dev)) as { linkinfo: { info_data: Record<string, unknown> } }[];
  return link!.linkinfo.info_data;
}

/**
 * A Linux bond's and bridge's parameters on simulated hosts that, like real ones, keep a running bond's and
 * bridge's parameters through an activation (networkd keeps an existing netdev's, ifenslave cannot change a
 * bond's mode while it has slaves): a miimon or STP changed by hand is drift a run sets back with ip steps,
 * verified; a bond mode the profile changes is refused before any change, and the host is not enabled.
 */
describe.each(['scripts', 'lean'] as const)('bond and bridge parameters on running Linux-bridge hosts (%s host model)', (hostModel) => {
  let h: PipelineHarness;
  const configured = ['kvm1', 'kvm2'];
  const run = (view: { history: HostStatusRecord[] }, by: string) => view.history.find((r) => r.trigger?.by === by && r.outcome !== undefined)!;

  beforeAll(async () => {
    h = await PipelineHarness.start({ hosts: 3, personas: ['ubuntu2204', 'debian12', 'ubuntu2204'], hostModel, env: { POLL_INTERVAL_MS: '0' } });
    for (const name of configured) expect((await h.configure(h.host(name).id, { requestedBy: 'first' })).status).toBe(202);
    for (const name of configured) {
      const { kvm, id } = h.host(name);
      const first = run(await h.waitForPhase(id, 'enabled', 'first', 90_000), 'first');
      expect(first.outcome).toMatchObject({ status: 'applied', verification: { ok: true } });
      expect(first.outcome!.verification!.checks).toContainEqual({ name: 'link bond0', ok: true, detail: 'bond as expected' });
      expect(infoData(kvm, 'bond0')).toMatchObject({ mode: 'active-backup', miimon: 100 });
    }
  }, 150_000);
  afterAll(async () => h?.stop());

  it.each(configured)("%s: bond0's miimon and cloudbr1's STP changed by hand are drift the live diff names, and a run sets them back with ip steps, verified", async (name) => {
    const { kvm, id } = h.host(name);
    await h.waitForNoRun(id);
    ipOnHost(kvm, 'link', 'set', 'dev', 'bond0', 'type', 'bond', 'miimon', '250');
    ipOnHost(kvm, 'link', 'set', 'dev', 'cloudbr1', 'type', 'bridge', 'stp_state', '1');
    // starting STP brought the forward delay into its 2–30 s range, as the kernel does
    expect(infoData(kvm, 'cloudbr1')).toMatchObject({ stp_state: 1, forward_delay: 200 });

    expect((await h.configure(id, { requestedBy: `params-${name}` })).status).toBe(202);
    const repair = run(await h.waitForPhase(id, 'enabled', `params-${name}`), `params-${name}`);
    // with STP off the forward delay is inert, and not held
    expect(repair.outcome!.diff!.live).toEqual(['bond0 has bond miimon 250, expected 100', 'cloudbr1 has bridge stp_state 1, expected 0']);
    expect(repair.outcome).toMatchObject({ status: 'applied', verification: { ok: true } });
    expect(repair.outcome!.diff!.files.every((f) => f.change === 'same')).toBe(true);
    // the activation keeps what runs, so with no file changed none runs: netplan apply (kvm1) would mend nothing and bounce bond0
    expect([name, (repair.outcome!.steps ?? []).some((s) => s.name === 'netplan-apply')]).toEqual([name, false]);
    const params = (repair.outcome!.steps ?? []).filter((s) => s.name.startsWith('param-'));
    expect(params.map((s) => [s.name, s.exitCode])).toEqual([['param-bond0-miimon', 0], ['param-cloudbr1-stp-state', 0]]);
    expect(infoData(kvm, 'bond0')).toMatchObject({ miimon: 100 });
    expect(infoData(kvm, 'cloudbr1')).toMatchObject({ stp_state: 0 });
    expect(repair.drifted).toBe(false);
  }, 90_000);

  it("kvm1: a run whose last parameter step fails is restored at once, the restore setting back the parameters it had set", async () => {
    const { kvm, id } = h.host('kvm1');
    await h.waitForNoRun(id);
    ipOnHost(kvm, 'link', 'set', 'dev', 'bond0', 'type', 'bond', 'miimon', '250');
    ipOnHost(kvm, 'link', 'set', 'dev', 'cloudbr1', 'type', 'bridge', 'stp_state', '1');
    kvm.faults.failCommand = /^ip link set dev cloudbr1 type bridge stp_state 0$/;

    expect((await h.configure(id, { requestedBy: 'params-fail' })).status).toBe(202);
    const { latest } = await h.waitForPhase(id, 'failed', 'params-fail');
    expect(kvm.faults.failCommand).toBeUndefined();
    expect(latest.reason).toMatch(/^step param-cloudbr1-stp-state exited 2; .*previous configuration restored at once$/);
    expect(latest.outcome).toMatchObject({ status: 'failed', rollback: { triggered: true } });
    const params = (latest.outcome!.steps ?? []).filter((s) => s.name.startsWith('param-')).map((s) => [s.name, s.exitCode]);
    expect(params).toEqual([['param-bond0-miimon', 0], ['param-cloudbr1-stp-state', 2]]);
    // as the run found them: its undo ran before the restore's re-activation, which keeps what runs
    expect(infoData(kvm, 'bond0')).toMatchObject({ miimon: 250 });
    expect(infoData(kvm, 'cloudbr1')).toMatchObject({ stp_state: 1, forward_delay: 200 });

    expect((await h.configure(id, { requestedBy: 'params-again' })).status).toBe(202);
    expect(run(await h.waitForPhase(id, 'enabled', 'params-again'), 'params-again').outcome).toMatchObject({ status: 'applied', verification: { ok: true } });
    expect(infoData(kvm, 'bond0')).toMatchObject({ miimon: 100 });
  }, 90_000);

  it("kvm1: a profile that turns STP on for its running bridges is refused before any change, naming the bridges, what rides on them and the fix", async () => {
    const file = h.env.HOSTNET_PROFILES!;
    const original = readFileSync(file, 'utf8');
    const profiles = parse(original);
    profiles.profiles['linux-bridge'].bridge = { stp: true, forwardDelay: 15 };
    writeFileSync(file, stringify(profiles));
    expect((await h.request('POST', '/profiles/reload')).status).toBe(200);
    try {
      const { kvm, id } = h.host('kvm1');
      await h.waitForNoRun(id);
      const before = snapshotFiles(kvm.rootDir);
      expect((await h.configure(id, { requestedBy: 'stp-on' })).status).toBe(202);
      const { latest } = await h.waitForPhase(id, 'failed', 'stp-on');
      expect(latest.outcome).toMatchObject({ status: 'failed', steps: [] });
      expect(latest.outcome!.reason).toMatch(/^StpStartError: bridge cloudbr0 \(address [^)]+\) runs with STP off and the profile turns it on \(forward delay 15 s\)/);
      expect(latest.outcome!.reason).toContain('ip link set dev cloudbr0 type bridge forward_delay 1500; ip link set dev cloudbr0 type bridge stp_state 1');
      expect(snapshotChanges(before, snapshotFiles(kvm.rootDir))).toEqual([]);
      expect(infoData(kvm, 'cloudbr0')).toMatchObject({ stp_state: 0 });
    } finally {
      writeFileSync(file, original);
      expect((await h.request('POST', '/profiles/reload')).status).toBe(200);
    }
  }, 90_000);

  it("a profile that makes a running active-backup bond0 802.3ad is refused before any change, naming the bond, the values and the fix: a new host stays unenabled", async () => {
    const file = h.env.HOSTNET_PROFILES!;
    const profiles = parse(readFileSync(file, 'utf8'));
    Object.assign(profiles.profiles['linux-bridge'].networks[0].bond, { mode: '802.3ad', lacpRate: 'fast' });
    writeFileSync(file, stringify(profiles));
    expect((await h.request('POST', '/profiles/reload')).status).toBe(200);

    // kvm3 as cloud-init left it: an active-backup bond0 of eth0 and eth1, before hostnet's first run
    const { kvm, id } = h.host('kvm3');
    ipOnHost(kvm, 'link', 'add', 'name', 'bond0', 'type', 'bond', 'mode', 'active-backup', 'miimon', '100');
    for (const nic of ['eth0', 'eth1']) ipOnHost(kvm, 'link', 'set', 'dev', nic, 'master', 'bond0');
    ipOnHost(kvm, 'link', 'set', 'dev', 'bond0', 'up');
    const before = snapshotFiles(kvm.rootDir);

    expect((await h.configure(id, { requestedBy: 'mode' })).status).toBe(202);
    const { latest } = await h.waitForPhase(id, 'failed', 'mode');
    expect(latest.outcome).toMatchObject({ status: 'failed', steps: [], verification: { ok: false, checks: [] } });
    expect(latest.outcome!.reason).toMatch(/^BondParamChangeError: bond bond0 runs with mode active-backup \(the profile sets 802\.3ad\) and lacp_rate slow \(the profile sets fast\)/);
    expect(latest.outcome!.reason).toContain('fix: put the host in maintenance (its VMs migrated) and, from its console');
    expect(latest.outcome!.reason).toContain('ip link set dev bond0 type bond mode 802.3ad lacp_rate fast');
    expect(latest.outcome!.diff!.live).toContain('bond0 has bond mode active-backup, expected 802.3ad');
    expect(snapshotChanges(before, snapshotFiles(kvm.rootDir))).toEqual([]);
    expect(infoData(kvm, 'bond0')).toMatchObject({ mode: 'active-backup' });
    expect((await h.view(id))!.history.some((r) => r.phase === 'enabled')).toBe(false);

    // a configured host is refused the same way, its bond left as it runs
    const kvm1 = h.host('kvm1');
    await h.waitForNoRun(kvm1.id);
    expect((await h.configure(kvm1.id, { requestedBy: 'mode-kvm1' })).status).toBe(202);
    const refused = (await h.waitForPhase(kvm1.id, 'failed', 'mode-kvm1')).latest;
    expect(refused.outcome!.reason).toMatch(/^BondParamChangeError: bond bond0 runs with mode active-backup \(the profile sets 802\.3ad\).*carries bridge cloudbr0 \(address /);
    expect(infoData(kvm1.kvm, 'bond0')).toMatchObject({ mode: 'active-backup' });
  }, 90_000);
});
