import { Lab, type LabHost } from '../lab';
import { labProfilesYaml, labStorageAddress } from './lab-profiles';
import { runLabPipeline } from './lab-run.client';
import type { LabHostReport, LabRunReport } from './lab-run.types';

/**
 * The whole pipeline against real lab hosts: CloudStack simulator, Redis, api and worker run inside
 * the lab namespace; hosts are network namespaces with real sshd, real ifupdown and a userspace OVS.
 *   h01 CentOS 7, OVS (network-scripts)
 *   h02 Ubuntu 22.04 with ifupdown, OVS (netplan apply cannot run without systemd-networkd, so
 *       this Ubuntu setup is the one that applies for real here)
 *   h03 Debian 12, Linux bridge over eth0 with jumbo frames (the Linux-bridge layout this kernel can run);
 *       its MTU lowered by hand afterwards is drift that a run repairs, and a run that fails puts it back
 * Rollback and what the kernel refuses: lab-rollback.e2e.spec.ts.
 */
const stateDir = `/run/hostnet-lab-e2e-${process.pid}`;
const PROFILES = { hne1h01: 'ovs-bonded', hne1h02: 'ovs-bonded', hne1h03: 'linux-jumbo' } as const;

describe('lab: the pipeline on real hosts', () => {
  let lab: Lab;
  let first: LabRunReport;
  const host = (name: string): LabHostReport => first.hosts.find((h) => h.name === name)!;
  const sh = async (h: string | LabHost, command: string): Promise<string> => {
    const r = await lab.hostExec(h, ['sh', '-c', command]);
    if (r.code !== 0) throw new Error(`${command} on ${typeof h === 'string' ? h : h.name} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };

  beforeAll(async () => {
    lab = await Lab.up({
      hosts: 3,
      personas: ['centos7', 'ubuntu2204-ifupdown', 'debian12'],
      ovs: ['ovs', 'ovs', 'linux'],
      stateDir,
      prefix: 'hne1',
    });
    first = await runLabPipeline(lab, { profilesYaml: labProfilesYaml(PROFILES), rollbackSeconds: 30, timeoutMs: 60_000 });
    console.log(`lab e2e: 3 hosts configured in ${(first.durationMs / 1000).toFixed(1)} s`);
  }, 120_000);

  afterAll(async () => {
    await lab?.down();
  }, 60_000);

  it.each([
    ['hne1h01', 'el-network-scripts-ovs', '/etc/sysconfig/network-scripts/ifcfg-bond0'],
    ['hne1h02', 'debian-ifupdown-ovs', '/etc/network/interfaces'],
  ])('OVS host %s (%s): Disabled → enabled, with bond, bridges, VLAN bridge, cloud0 and persistent files', async (name, target, file) => {
    expect(first.timedOut).toBe(false);
    expect(host(name)).toMatchObject({ phase: 'enabled', phases: ['queued', 'applying', 'verified', 'enabled'], outcome: { status: 'applied', target, verification: { ok: true } } });
    expect(first.cloudstack.resourceState[name]).toBe('Enabled');
    expect(first.cloudstack.updateHost).toContainEqual({ id: name, allocationstate: 'Enable' });

    const show = await sh(name, 'ovs-vsctl show');
    for (const bridge of ['cloudbr0', 'cloudbr1', 'cloud0']) expect(show).toMatch(new RegExp(`Bridge ${bridge}\\n\\s+datapath_type: netdev`));
    expect(show).toMatch(/Port cloudbr100\n\s+tag: 100\n\s+Interface cloudbr100\n\s+type: internal/);
    expect((await sh(name, 'ovs-vsctl br-to-parent cloudbr100; ovs-vsctl br-to-vlan cloudbr100')).split('\n')).toEqual(['cloudbr0', '100', '']);
    expect((await sh(name, 'ovs-vsctl list-ports cloudbr0')).split('\n')).toContain('bond0');
    const bond = await sh(name, 'ovs-appctl bond/show bond0');
    expect(bond).toMatch(/^bond_mode: active-backup$/m);
    expect(bond).toMatch(/^member eth0: enabled$/m);
    expect(bond).toMatch(/^member eth1: enabled$/m);
    expect(await sh(name, 'ovs-vsctl get port bond0 other_config')).toMatch(/bond-detect-mode=miimon.*bond-miimon-interval="100"|bond-miimon-interval="100".*bond-detect-mode=miimon/);
    const addrs = await sh(name, 'ip -4 -o addr show');
    const ip = lab.host(name).managementIp;
    expect(addrs).toMatch(new RegExp(`cloudbr0\\s+inet ${ip.replace(/\./g, '\\.')}/24`));
    expect(addrs).toMatch(new RegExp(`cloudbr100\\s+inet ${labStorageAddress(name).replace(/\./g, '\\.')}/24`));
    expect(addrs).toMatch(/cloud0\s+inet 169\.254\.0\.1\/16/);
    expect(addrs).not.toMatch(/eth0\s+inet/);
    expect(await sh(name, 'ip route show default')).toMatch(/^default via 10\.255\.0\.1 dev cloudbr0/);
    expect(await sh(name, `test -f ${file} && cat ${file}`)).toMatch(/bond0/);
  });

  it.each(['hne1h01', 'hne1h02'])('%s answers SSH across the bond, and a failover of the active member loses no session', async (name) => {
    const target = lab.host(name);
    const active = async () => /^active member mac: \S+\((eth\d)\)$/m.exec(await sh(name, 'ovs-appctl bond/show bond0'))?.[1];
    const before = await active();
    expect(['eth0', 'eth1']).toContain(before);
    const peer = target.nics.find((n) => n.name === before)!.labPeer;
    // one SSH session spanning the failover: it must print every tick and exit 0
    const session = lab.sshExec(target, 'for i in $(seq 1 25); do echo tick $i; sleep 0.1; done', { timeoutMs: 20_000 });
    await new Promise((r) => setTimeout(r, 700));
    await lab.execInLab(['ip', 'link', 'set', peer, 'down']);
    try {
      const r = await session;
      expect(r.code).toBe(0);
      expect(r.stdout.trim().split('\n')).toHaveLength(25);
      expect(await active()).toBe(before === 'eth0' ? 'eth1' : 'eth0');
      expect((await lab.sshExec(target, 'hostname')).stdout.trim()).toBe(name);
    } finally {
      await lab.execInLab(['ip', 'link', 'set', peer, 'up']);
    }
  }, 30_000);

  it('Linux bridge over a NIC with jumbo frames (Debian 12) is applied for real with ifup, its MTU verified, and stays reachable', async () => {
    expect(host('hne1h03')).toMatchObject({ phase: 'enabled', outcome: { status: 'applied', target: 'debian-ifupdown-linux', verification: { ok: true } } });
    expect(await sh('hne1h03', 'ip -4 -o addr show cloudbr0')).toMatch(/cloudbr0\s+inet 10\.255\.0\.13\/24/);
    // the kernel's MTUs, which the verifier read (the re-run below is a no-op with them)
    expect(await sh('hne1h03', 'ip -o link show eth0')).toMatch(/mtu 9000 .*master cloudbr0/);
    expect(await sh('hne1h03', 'ip -o link show cloudbr0')).toMatch(/mtu 9000 /);
    expect(await sh('hne1h03', 'ip -o link show eth2')).toMatch(/mtu 1500 .*master cloudbr1/);
    expect(await sh('hne1h03', 'cat /run/network/ifstate')).toMatch(/^cloudbr0=cloudbr0$/m);
    expect((await lab.sshExec('hne1h03', 'hostname')).stdout.trim()).toBe('hne1h03');
  });

  it('a re-run on every configured host is a no-op: nothing written, nothing restarted, OVS unchanged', async () => {
    const configured = ['hne1h01', 'hne1h02', 'hne1h03'];
    const snapshot = async (name: string) =>
      sh(name, 'stat -c "%n %Y %s" /etc/network/interfaces /etc/sysconfig/network-scripts/* /etc/modules /etc/modules-load.d/* /etc/sysctl.d/* /var/lib/hostnet/state.json 2>/dev/null; wc -l < /run/lab/calls.log; ' +
        'if command -v ovs-vsctl >/dev/null && [ -S /run/openvswitch/db.sock ]; then ovs-vsctl show; ovs-vsctl list port bond0 | grep -v "^statistics"; fi');
    const before = await Promise.all(configured.map(snapshot));
    const again = await runLabPipeline(lab, { profilesYaml: labProfilesYaml(PROFILES), hosts: configured, rollbackSeconds: 30, timeoutMs: 60_000 });
    for (const name of configured) {
      const h = again.hosts.find((x) => x.name === name)!;
      expect(h).toMatchObject({ phase: 'enabled', outcome: { status: 'no-op', changedFiles: [], steps: [] } });
    }
    expect(await Promise.all(configured.map(snapshot))).toEqual(before);
  }, 90_000);

  it('eth0 lowered by hand on the jumbo host is drift the next run names and repairs with an ip step alone, verified', async () => {
    await sh('hne1h03', 'ip link set dev eth0 mtu 1500');
    // the bridge follows its only port down, as it follows it up again
    expect(await sh('hne1h03', 'ip -o link show cloudbr0')).toMatch(/mtu 1500 /);
    const calls = await sh('hne1h03', 'wc -l < /run/lab/calls.log');
    const repair = await runLabPipeline(lab, { profilesYaml: labProfilesYaml(PROFILES), hosts: ['hne1h03'], rollbackSeconds: 30, timeoutMs: 60_000 });
    const h = repair.hosts.find((x) => x.name === 'hne1h03')!;
    expect(h).toMatchObject({ phase: 'enabled', outcome: { status: 'applied', changedFiles: [], verification: { ok: true } } });
    expect(h.outcome!.liveDiff).toEqual(['cloudbr0 has MTU 1500, expected 9000', 'eth0 has MTU 1500, expected 9000']);
    expect(h.outcome!.steps.filter((s) => s.name.startsWith('mtu-'))).toEqual([{ name: 'mtu-eth0', exitCode: 0 }, { name: 'mtu-cloudbr0', exitCode: 0 }]);
    expect(await sh('hne1h03', 'ip -o link show eth0')).toMatch(/mtu 9000 .*master cloudbr0/);
    expect(await sh('hne1h03', 'ip -o link show cloudbr0')).toMatch(/mtu 9000 /);
    // no ifup, ifdown or restart: the lab's stand-ins log every activation
    expect(await sh('hne1h03', 'wc -l < /run/lab/calls.log')).toBe(calls);
  }, 90_000);

  it("a run that fails after raising eth0's MTU again puts the MTU it found back (the restore's snapshot), naming it in its journal", async () => {
    // drift no run repairs without a file change (the default route deleted by hand), beside eth0 lowered again:
    // verification fails
    const route = (await sh('hne1h03', 'ip route show default')).trim();
    await sh('hne1h03', 'ip link set dev eth0 mtu 1500; ip route del default');
    const failed = await runLabPipeline(lab, { profilesYaml: labProfilesYaml(PROFILES), hosts: ['hne1h03'], rollbackSeconds: 30, timeoutMs: 60_000 });
    const h = failed.hosts.find((x) => x.name === 'hne1h03')!;
    try {
      expect(h.outcome!.liveDiff).toEqual(expect.arrayContaining(['cloudbr0 has MTU 1500, expected 9000', 'eth0 has MTU 1500, expected 9000']));
      expect(h.outcome!.liveDiff.some((d) => d.startsWith('route default'))).toBe(true);
      expect(h).toMatchObject({
        phase: 'rolled-back',
        outcome: {
          status: 'rolled-back',
          reason: expect.stringMatching(/^verification failed: route default .*; previous configuration restored at once$/),
          rollback: { restoreChecks: [{ name: 'files restored', ok: true }, { name: 'live state restored', ok: true }] },
        },
      });
      expect(h.outcome!.steps.filter((s) => s.name.startsWith('mtu-'))).toEqual([{ name: 'mtu-eth0', exitCode: 0 }, { name: 'mtu-cloudbr0', exitCode: 0 }]);
      const run = (await sh('hne1h03', 'ls -t /var/lib/hostnet/backups | head -1')).trim();
      const journal = await sh('hne1h03', `cat /var/lib/hostnet/backups/${run}/journal`);
      expect(journal).toMatch(/ step-end mtu-eth0 0$/m);
      expect(journal).toMatch(/ restored-mtu eth0 1500$/m);
      // eth0 and, following it, cloudbr0 at 1500 again
      expect(await sh('hne1h03', 'ip -o link show eth0')).toMatch(/mtu 1500 .*master cloudbr0/);
      expect(await sh('hne1h03', 'ip -o link show cloudbr0')).toMatch(/mtu 1500 /);
    } finally {
      await sh('hne1h03', `ip link set dev eth0 mtu 9000; ip route replace ${route}`);
    }
  }, 90_000);

  it('cloudbr1 taken down by hand is drift the next run brings back up with an ip step alone, verified', async () => {
    await sh('hne1h03', 'ip link set dev cloudbr1 down');
    const calls = await sh('hne1h03', 'wc -l < /run/lab/calls.log');
    const repair = await runLabPipeline(lab, { profilesYaml: labProfilesYaml(PROFILES), hosts: ['hne1h03'], rollbackSeconds: 30, timeoutMs: 60_000 });
    const h = repair.hosts.find((x) => x.name === 'hne1h03')!;
    expect(h).toMatchObject({ phase: 'enabled', outcome: { status: 'applied', changedFiles: [], verification: { ok: true }, liveDiff: ['cloudbr1 is down'] } });
    expect(h.outcome!.steps.filter((s) => s.name.startsWith('up-'))).toEqual([{ name: 'up-cloudbr1', exitCode: 0 }]);
    expect(await sh('hne1h03', 'ip -o link show cloudbr1')).toMatch(/[<,]UP[,>]/);
    // no ifup, ifdown or restart: the lab's stand-ins log every activation
    expect(await sh('hne1h03', 'wc -l < /run/lab/calls.log')).toBe(calls);
  }, 90_000);
});
