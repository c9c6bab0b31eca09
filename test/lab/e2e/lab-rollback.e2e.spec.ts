import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Lab } from '../lab';
import { cleanupTempDirs, ifupdown2, tempDir } from '../../integration/render/tool-harness';
import { labProfilesYaml } from './lab-profiles';
import { runLabPipeline } from './lab-run.client';
import type { LabHostReport, LabRunReport } from './lab-run.types';

/**
 * Runs that must not end enabled, on real lab hosts, in one pipeline run (they wait on the same timer):
 *   h01 CentOS 7 / h02 Ubuntu 22.04 (ifupdown), OVS, NICs swapped in the profile: the management
 *       bridge lands on eth2, wired to the public lab bridge, so the host drops off the management
 *       network; the on-host timer must bring it back.
 *   h03 Debian 12 / h04 CentOS 7, Linux bonds + storage VLAN: this kernel has no bonding/8021q
 *       modules. The files are written and validated; the apply runs until the kernel refuses.
 *   h05 CentOS 7, jumbo frames on eth0 under cloudbr0, then eth2's ifup fails (a one-shot lab fault):
 *       the restore must lower eth0's MTU again, which no restored file names.
 * HOSTNET_LAB_PREFIX / HOSTNET_LAB_STATE run it beside another lab of the same spec.
 */
const PREFIX = process.env.HOSTNET_LAB_PREFIX ?? 'hne2';
const stateDir = process.env.HOSTNET_LAB_STATE ?? `/run/hostnet-lab-rollback-${process.pid}`;
const [H01, H02, H03, H04, H05] = [1, 2, 3, 4, 5].map((n) => `${PREFIX}h0${n}`) as [string, string, string, string, string];
const PROFILES = { [H01]: 'ovs-swapped', [H02]: 'ovs-swapped', [H03]: 'linux-bonded', [H04]: 'linux-bonded', [H05]: 'linux-jumbo' } as const;
const ROLLBACK_SECONDS = 8;

describe('lab: rollback and kernel refusals on real hosts', () => {
  let lab: Lab;
  let report: LabRunReport;
  const before = new Map<string, string>();
  const host = (name: string): LabHostReport => report.hosts.find((h) => h.name === name)!;
  const sh = async (name: string, command: string): Promise<string> => {
    const r = await lab.hostExec(name, ['sh', '-c', command]);
    if (r.code !== 0) throw new Error(`${command} on ${name} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };
  /**
   * Network files, the bridge netfilter switches (Debian's runs load a drop-in that sets them) and running
   * addresses/routes/OVS bridges: what a rollback must bring back (ifupdown adds `onlink`).
   */
  const config = (name: string) =>
    sh(name, 'cat /etc/network/interfaces /etc/sysconfig/network-scripts/ifcfg-* /etc/sysconfig/network 2>/dev/null | sha256sum; grep -H . /proc/sys/net/bridge/bridge-nf-call-*; ' +
      'ip -o link show | awk \'{print $2, $5}\'; ip -4 -o addr show | awk \'{print $2, $4}\'; ip route | sed "s/ onlink//"; if [ -S /run/openvswitch/db.sock ]; then ovs-vsctl list-br; fi');

  beforeAll(async () => {
    lab = await Lab.up({
      hosts: 5,
      personas: ['centos7', 'ubuntu2204-ifupdown', 'debian12', 'centos7', 'centos7'],
      ovs: ['ovs', 'ovs', 'linux', 'linux', 'linux'],
      stateDir,
      prefix: PREFIX,
    });
    for (const h of lab.inventory.hosts) before.set(h.name, await config(h.name));
    await sh(H05, 'touch /run/lab/fail-ifup-eth2');
    report = await runLabPipeline(lab, { profilesYaml: labProfilesYaml(PROFILES), rollbackSeconds: ROLLBACK_SECONDS, timeoutMs: 90_000 });
    console.log(`lab rollback e2e: 4 hosts settled in ${(report.durationMs / 1000).toFixed(1)} s (rollback timer ${ROLLBACK_SECONDS} s)`);
  }, 150_000);

  afterAll(async () => {
    cleanupTempDirs();
    await lab?.down();
  }, 60_000);

  it.each([H01, H02])('%s: unreachable after the apply, restored by its own timer, answers SSH with its old config, never enabled', async (name) => {
    expect(report.timedOut).toBe(false);
    expect(host(name)).toMatchObject({
      phase: 'rolled-back',
      phases: ['queued', 'applying', 'rolled-back'],
      outcome: {
        status: 'rolled-back',
        reason: expect.stringMatching(/^host unreachable after apply: .*; the on-host timer restored the previous configuration$/),
        rollback: {
          armedSeconds: ROLLBACK_SECONDS,
          triggered: true,
          restoredAt: expect.any(String),
          restoreChecks: [expect.objectContaining({ name: 'files restored', ok: true }), expect.objectContaining({ name: 'live state restored', ok: true })],
        },
        // the new configuration was never verified: a rolled-back run never shows a passed verification
        verification: { ok: false },
      },
    });
    // A run that did not keep its config never shows a verification that passed.
    expect(host(name).outcome!.verification?.ok).not.toBe(true);
    expect(host(name).outcome!.steps.every((s) => s.exitCode === 0)).toBe(true);
    expect(await sh(name, 'cat /var/lib/hostnet/state.json')).toMatch(/"phase":"rolled-back"/);
    expect(await config(name)).toBe(before.get(name));
    expect((await lab.sshExec(name, 'hostname')).stdout.trim()).toBe(name);
    expect(report.cloudstack.updateHost.filter((c) => c.id === name)).toEqual([]);
    expect(report.cloudstack.resourceState[name]).toBe('Disabled');
  });

  it.each([
    // ifupdown prints the kernel's "Operation not supported" for bond0 but exits 0: the host drops off
    // the network mid-apply and the timer restores it
    [H03, 'debian-ifupdown-linux', 'rolled-back', /^(host unreachable after apply: |connection lost during apply: |the host lost its management path before it could be verified; ).*restored (the|its) previous configuration/],
    // network-scripts' ifup of the changed interfaces (bridges first) fails where the kernel lacks
    // 8021q/bonding: the step fails and the run restores at once
    [H04, 'el-network-scripts-linux', 'failed', /^step activate-ifup-\S+ exited 1; (output: [\s\S]*; )?previous configuration restored at once$/],
  ])('Linux bonds + VLAN on %s (%s): files written and valid, the apply stops where this kernel refuses bonding', async (name, target, status, reason) => {
    const h = host(name);
    expect(h).toMatchObject({ phase: status, outcome: { status, target, reason: expect.stringMatching(reason) } });
    expect(report.cloudstack.updateHost.filter((c) => c.id === name)).toEqual([]);
    expect(report.cloudstack.resourceState[name]).toBe('Disabled');

    const backups = join(lab.host(name).stateDir, 'varlib.upper/hostnet/backups');
    const run = readdirSync(backups)[0]!;
    const written = join(backups, run, 'new');
    const log = await sh(name, `cat /var/lib/hostnet/backups/${run}/steps/*.log`);
    if (target === 'debian-ifupdown-linux') {
      expect(log).toMatch(/RTNETLINK answers: Operation not supported/);
      // ifupdown2 (the strictest parser here) accepts what was written: bond mode, miimon, VLAN, addresses
      const check = ifupdown2(tempDir('lab-ifupdown2'))(['--syntax-check', '-a', '-i', join(written, 'etc/network/interfaces')]);
      expect(check).toMatchObject({ status: 0 });
    } else {
      expect(log).toMatch(/ifup: \S+: (kernel bonding|802\.1q VLAN devices) (is|are) not available on this lab kernel \(no (bonding|8021q) module\)/);
      const files = readdirSync(join(written, 'etc/sysconfig/network-scripts'));
      expect(files).toEqual(expect.arrayContaining(['ifcfg-bond0', 'ifcfg-bond1', 'ifcfg-cloudbr0', 'ifcfg-cloudbr1', 'ifcfg-cloudbr100']));
    }
    // the previous configuration is back, the Linux bridges the run made are gone, and SSH answers
    expect(await config(name)).toBe(before.get(name));
    expect(await sh(name, 'ip -o link show type bridge')).toBe('');
    expect((await lab.sshExec(name, 'hostname')).stdout.trim()).toBe(name);
  });

  it(`${H05}: jumbo frames raised on eth0, then a step fails: the restore lowers the MTU no restored file names`, async () => {
    const name = H05;
    expect(host(name)).toMatchObject({ phase: 'failed', outcome: { status: 'failed', target: 'el-network-scripts-linux', reason: expect.stringMatching(/^step activate-ifup-eth2 exited 1; /) } });
    const run = readdirSync(join(lab.host(name).stateDir, 'varlib.upper/hostnet/backups'))[0]!;
    const journal = await sh(name, `cat /var/lib/hostnet/backups/${run}/journal`);
    // eth0 came up with MTU=9000 before eth2 failed, and the restore put 1500 back
    expect(journal).toMatch(/ step-end activate-ifup-eth0 0$/m);
    expect(readFileSync(join(lab.host(name).stateDir, `varlib.upper/hostnet/backups/${run}/new/etc/sysconfig/network-scripts/ifcfg-eth0`), 'utf8')).toMatch(/^MTU=9000$/m);
    expect(await sh(name, `cat /var/lib/hostnet/backups/${run}/link-mtus`)).toMatch(/^eth0 1500$/m);
    expect(journal).toMatch(/ restored-mtu eth0 1500$/m);
    expect(journal).toMatch(/ restored$/m);
    expect(await config(name)).toBe(before.get(name));
    expect(await sh(name, 'ip -o link show dev eth0')).toMatch(/ mtu 1500 /);
  });
});
