import 'reflect-metadata';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApplyOutcomeSummary, RelabelHostStep } from '@hostnet/contracts';
import { profileSetFromObject } from '@hostnet/intent';
import type { HostRunSpecRepository } from '@hostnet/platform';
import { HostSpecService, runHostOf, type HostRunSpec } from '@hostnet/host-spec';
import type { SshConnector, SshEndpoints } from '@hostnet/ssh';
import { HostRunService } from '../../../apps/worker/src/host-run/host-run.service';
import type { WorkerConfig } from '../../../apps/worker/src/worker-config';
import { Lab } from '../lab';
import { labRelabelTopology } from './lab-relabel-zone';
import { labRelabelJob } from './lab-relabel-job';
import { NsenterSession } from './nsenter-session';

/**
 * One relabel of Public (cloudbr1 → cloudbr9) on real Linux-bridge hosts, one per target that renders the
 * veth expand layout: Debian ifupdown (real ifup and bridge-utils), Rocky NetworkManager (real
 * NetworkManager 1.42), Ubuntu netplan (real netplan 0.106 and systemd-networkd 252; the pair is not
 * networkd's, a drop-in of its unit makes it at boot). Driven through the worker's
 * HostRunService as relabel jobs are: old → a "VM" on cloudbr1 pings the lab router → both (eth2 moved
 * into cloudbr9, which reaches cloudbr1 over the veth pair; the VM never stops answering) → the same job
 * again is a no-op → the VM moves, as a migration would → new (cloudbr1 and the veth pair gone).
 */
const prefix = `hnl${process.pid % 1000}`;
const stateDir = `/run/hostnet-lab-relabel-linux-${process.pid}`;
const PERSONAS = [
  { persona: 'debian12', target: 'debian-ifupdown-linux' },
  { persona: 'rocky9', target: 'networkmanager-linux' },
  { persona: 'ubuntu2204', target: 'netplan-linux' },
] as const;
// Linux bonds cannot be built on this kernel: each network rides on one NIC.
const PROFILES = profileSetFromObject(
  {
    version: 1,
    profiles: {
      linux: {
        backend: 'linux',
        networks: [
          { match: { physicalNetwork: 'physnet1' }, nic: 'eth0' },
          { match: { physicalNetwork: 'physnet2' }, nic: 'eth2' },
        ],
      },
    },
    selectors: [{ profile: 'linux' }],
  },
  'lab-relabel-linux-profiles',
);
const CONFIG = {
  HOSTNET_SSH_KEY: '/nonexistent',
  HOSTNET_KNOWN_HOSTS: '/nonexistent',
  HOSTNET_TRUST_ON_FIRST_USE: false,
  HOSTNET_SSH_CONNECT_TIMEOUT_MS: 5_000,
  HOSTNET_SSH_COMMAND_TIMEOUT_MS: 60_000,
  HOSTNET_ROLLBACK_SECONDS: 45,
} as unknown as WorkerConfig;

describe('lab: relabel Public cloudbr1 → cloudbr9 on Linux-bridge hosts, layouts old → both → new', () => {
  let lab: Lab;
  let runs = 0;

  beforeAll(async () => {
    lab = await Lab.up({ hosts: PERSONAS.length, personas: PERSONAS.map((p) => p.persona), ovs: PERSONAS.map(() => 'linux'), stateDir, prefix });
  }, 120_000);

  afterAll(async () => {
    await lab?.down();
  }, 60_000);

  it.each(PERSONAS.map((p, i) => [p.persona, p.target, i] as const))('%s (%s): the VM keeps answering across the expand; contract leaves only cloudbr9', async (_persona, target, index) => {
    const labHost = lab.inventory.hosts[index]!;
    const host = labHost.name;
    const sh = async (command: string): Promise<string> => {
      const r = await lab.hostExec(host, ['sh', '-c', command]);
      if (r.code !== 0) throw new Error(`${command} exited ${r.code}: ${r.stderr}`);
      return r.stdout;
    };
    const ok = async (command: string): Promise<boolean> => (await lab.hostExec(host, ['sh', '-c', command])).code === 0;
    const master = async (dev: string) => (await sh(`ip -o link show dev ${dev}`)).match(/ master (\S+)/)?.[1];
    // NetworkManager detaches and re-attaches a bridge's ports for some 20 ms after `nmcli connection up` has
    // returned (watched at 10 ms: the VM tap vnet0 too). A port seen in its bridge within 2 s is where it belongs;
    // the VM's ping below measures what the blip cost it.
    const settledMaster = async (dev: string, bridge: string) => {
      for (let i = 0; i < 40 && (await master(dev)) !== bridge; i++) await new Promise((r) => setTimeout(r, 50));
      return master(dev);
    };
    const pid = readFileSync(join(labHost.stateDir, 'init.pid'), 'utf8').trim();
    const topology = labRelabelTopology({ name: host, address: labHost.managementIp });
    const endpoints = { resolve: () => ({ host: labHost.managementIp, port: 22, user: 'root', source: 'endpoints-file' }) } as unknown as SshEndpoints;
    const ssh = { connect: async () => new NsenterSession(pid) } as unknown as SshConnector;
    // what api derives and stores for each job: the lab zone's spec with the step's overlay
    const specs = new HostSpecService(PROFILES);
    const labHost1 = topology.hosts.find((h) => h.id === 'lab-host-1')!;
    const specOf = (relabel: RelabelHostStep): HostRunSpec => ({ host: runHostOf(labHost1), ...specs.specFor(topology, labHost1.id, relabel) });
    const stored = new Map<string, HostRunSpec>();
    const repository = { spec: async (hash: string) => stored.get(hash) } as unknown as HostRunSpecRepository;
    const service = new HostRunService(CONFIG, repository, endpoints, ssh);
    const step = (layout: RelabelHostStep['layout']): RelabelHostStep => ({
      rolloutId: 'rl-lab-linux',
      layout,
      changes: [{ physicalNetworkId: 'pn2', trafficType: 'Public', oldLabel: 'cloudbr1', newLabel: 'cloudbr9' }],
      restartAgent: false,
    });
    /** What a run that went wrong left to read: its reason, failed checks, and the network daemon's log tail. */
    const explain = (outcome: ApplyOutcomeSummary) => {
      if (outcome.status === 'applied' || outcome.status === 'no-op') return;
      const daemonLog = ['networkd.log', 'NetworkManager.log'].map((f) => join(labHost.stateDir, f)).filter((f) => existsSync(f));
      const tail = daemonLog.map((f) => readFileSync(f, 'utf8').split('\n').slice(-40).join('\n')).join('\n');
      process.stdout.write(`lab relabel ${target}: ${outcome.status}: ${outcome.reason}\n${JSON.stringify(outcome.verification?.checks.filter((c) => !c.ok))}\n${JSON.stringify(outcome.steps)}\n${tail}\n`);
    };
    const run = async (relabel: RelabelHostStep, redeliver = false): Promise<ApplyOutcomeSummary> => {
      if (!redeliver) runs += 1;
      const job = labRelabelJob({ hostName: host, specHash: specOf(relabel).specHash, relabel, requestId: `relabel-linux-${runs}`, by: 'lab-relabel-linux-spec' });
      stored.set(job.specHash, specOf(relabel));
      const outcome = await service.run(job);
      explain(outcome);
      return outcome;
    };

    const old = await run(step('old'));
    expect(old).toMatchObject({ status: 'applied', target });
    await sh(
      [
        'ip netns add vm0',
        'ip link add vnet0 type veth peer name vmeth0',
        'ip link set vmeth0 netns vm0',
        'ip link set dev vnet0 master cloudbr1 up',
        'ip netns exec vm0 ip addr add 10.255.1.50/24 dev vmeth0',
        'ip netns exec vm0 ip link set vmeth0 up',
        'n=0; until ip netns exec vm0 ping -c1 -W1 10.255.1.1 >/dev/null; do n=$((n+1)); [ $n -lt 15 ] || exit 1; done',
        '(ip netns exec vm0 ping -D -O -i 0.05 -W 1 10.255.1.1 > /run/vm0-ping.log 2>&1 & echo $! > /run/vm0-ping.pid)',
      ].join(' && '),
    );

    // the new label alone, as the poller runs a host a rollout left behind: refused before any step, the VM keeps its path
    const cut = await run(step('new'));
    expect({ status: cut.status, steps: cut.steps }).toEqual({ status: 'failed', steps: [] });
    expect(cut.reason).toMatch(/^VmPathCutError: live bridge cloudbr1 still carries vnet0 \(VM taps or the CloudStack agent's ports\) and this run would take away eth2, its only way to the network/);
    // the refusal still read the host: its diff says what the run would have written
    expect(cut.diff?.files.some((f) => f.change !== 'same')).toBe(true);
    expect([await master('eth2'), await master('vnet0')]).toEqual(['cloudbr1', 'cloudbr1']);
    expect(await ok('ip netns exec vm0 ping -c1 -W2 10.255.1.1')).toBe(true);

    // every change to a link the kernel announces during the expand, to tell whether the VM's tap was touched
    await sh('(ip -o monitor link > /run/expand-links.log 2>&1 & echo $! > /run/expand-links.pid)');
    const both = await run(step('both'));
    await sh('kill $(cat /run/expand-links.pid)');
    expect(both).toMatchObject({ status: 'applied', target });
    expect(both.verification?.checks.filter((c) => !c.ok)).toEqual([]);
    expect([await settledMaster('eth2', 'cloudbr9'), await settledMaster('ethl-cloudbr9', 'cloudbr1'), await settledMaster('lnk-cloudbr1', 'cloudbr9'), await settledMaster('vnet0', 'cloudbr1')]).toEqual(['cloudbr9', 'cloudbr1', 'cloudbr9', 'cloudbr1']);
    expect(await sh('cat /sys/class/net/cloudbr9/bridge/stp_state')).toBe('0\n');
    const again = await run(step('both'), true);
    expect(again).toMatchObject({ status: 'no-op' });

    await new Promise((r) => setTimeout(r, 1000));
    await sh('kill $(cat /run/vm0-ping.pid)');
    const log = await sh('cat /run/vm0-ping.log');
    const lost = (log.match(/no answer yet/g) ?? []).length;
    const replies = (log.match(/bytes from/g) ?? []).length;
    process.stdout.write(`lab relabel ${target}: VM on cloudbr1 across the expand run: ${replies} replies, ${lost} lost\n`);
    // the ping ran across the whole run (50 ms apart, for about two seconds)
    expect(replies + lost).toBeGreaterThan(20);
    // 0 lost in 20 runs on ifupdown and netplan. NetworkManager's re-attach of the moved uplink costs 0-1 alone,
    // but 20 and 23 (1.15 s) were seen in two full-suite runs, the two cores shared with every other suite, and
    // never when run alone: bounded at 1.5 s there (an open question, in the notes); the tap's bridge is checked below.
    expect(lost).toBeLessThanOrEqual(target === 'networkmanager-linux' ? 30 : 2);
    // the old bridge is not re-activated: the tap never left it, not even for NetworkManager's 20 ms
    expect((await sh('cat /run/expand-links.log')).split('\n').filter((l) => / vnet0[@:]/.test(l))).toEqual([]);

    if (target === 'netplan-linux') {
      // a reboot: networkd starts and runs the drop-in's commands (`$$` is systemd's `$`), the bridges its own
      const dropIn = await sh('cat /etc/systemd/system/systemd-networkd.service.d/60-hostnet-veth.conf');
      const commands = dropIn.split('\n').filter((l) => l.startsWith('ExecStartPost=-+')).map((l) => l.slice('ExecStartPost=-+'.length).replace(/\$\$/g, '$'));
      expect(commands).toHaveLength(1);
      await sh('ip link del dev ethl-cloudbr9');
      await sh(commands[0]!);
      expect([await master('ethl-cloudbr9'), await master('lnk-cloudbr1')]).toEqual(['cloudbr1', 'cloudbr9']);
      expect(await sh('ip -o link show dev lnk-cloudbr1')).toMatch(/state UP/);
      await sh(commands[0]!); // networkd restarted: nothing more
      expect(await sh("ip -o link show | grep -c -E ': (ethl|lnk)-'")).toBe('2\n');
    }
    await sh('ip link set dev vnet0 master cloudbr9'); // the VM leaves the old bridge first, as a live migration would
    if (target === 'netplan-linux') {
      // A contract whose `netplan apply` fails once: the restore puts the files back (the drop-in too), its own
      // netplan apply makes OLD again, and the pair the contract deleted is made at once, not at the next boot.
      await sh(
        [
          'mv /usr/sbin/netplan /usr/sbin/netplan.real',
          "cat > /usr/sbin/netplan <<'EOF'",
          '#!/bin/sh',
          'if [ "$1" = apply ] && [ ! -e /run/netplan-failed-once ]; then touch /run/netplan-failed-once; echo "injected failure" >&2; exit 1; fi',
          'exec /usr/sbin/netplan.real "$@"',
          'EOF',
          'chmod 755 /usr/sbin/netplan',
        ].join('\n'),
      );
      const failed = await run(step('new'));
      await sh('mv -f /usr/sbin/netplan.real /usr/sbin/netplan');
      expect(failed).toMatchObject({ status: 'failed', target });
      expect(failed.reason).toMatch(/^step netplan-apply exited 1; output: injected failure; previous configuration restored at once$/);
      expect([await master('eth2'), await settledMaster('ethl-cloudbr9', 'cloudbr1'), await settledMaster('lnk-cloudbr1', 'cloudbr9')]).toEqual(['cloudbr9', 'cloudbr1', 'cloudbr9']);
      expect(await ok('test -e /etc/systemd/system/systemd-networkd.service.d/60-hostnet-veth.conf')).toBe(true);
      expect(await ok('ip netns exec vm0 ping -c2 -W2 10.255.1.1')).toBe(true);
    }
    const contract = await run(step('new'));
    expect(contract).toMatchObject({ status: 'applied', target });
    expect([await ok('ip link show dev cloudbr1'), await ok('ip link show dev ethl-cloudbr9'), await ok('ip link show dev lnk-cloudbr1')]).toEqual([false, false, false]);
    expect(await master('eth2')).toBe('cloudbr9');
    expect(await ok('ip netns exec vm0 ping -c2 -W2 10.255.1.1')).toBe(true);
    expect(await ok('ls /etc/NetworkManager/system-connections/ethl-* 2>/dev/null')).toBe(false);
    expect(await ok('test -e /etc/systemd/system/systemd-networkd.service.d/60-hostnet-veth.conf')).toBe(false);
    await sh('ip netns del vm0');
  }, 240_000);
});
