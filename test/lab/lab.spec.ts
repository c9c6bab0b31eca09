import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { loadSimulatorTopology } from '../../apps/simulator/src/cloudstack/topology/simulator-topology.loader';
import { Lab } from './lab';
import { findLabResidue } from './lab-residue';

// Real namespaces, sshd and Open vSwitch: needs root (as `npm test` runs in CI and here).
const prefix = `hns${process.pid % 1000}`;
const stateDir = `/run/hostnet-lab-spec-${process.pid}`;
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('lab of KVM-like hosts (namespaces + OpenSSH + userspace OVS)', () => {
  let lab: Lab | undefined;
  const realOsRelease = sha('/usr/lib/os-release');
  const realEtc = readdirSync('/etc').sort();

  beforeAll(async () => {
    lab = await Lab.up({
      hosts: 3,
      personas: ['ubuntu2204', 'centos7', 'ubuntu2404'],
      ovs: ['ovs', 'ovs', 'linux'],
      stateDir,
      prefix,
    });
  }, 60_000);

  afterAll(async () => {
    await lab?.down();
  }, 60_000);

  const live = (): Lab => {
    if (!lab) throw new Error('lab did not come up');
    return lab;
  };

  it('writes an inventory with one entry per host', () => {
    const { hosts, labNamespace } = live().inventory;
    expect(labNamespace).toBe(`${prefix}lab`);
    expect(hosts.map((h) => [h.name, h.persona, h.backend, h.managementIp])).toEqual([
      [`${prefix}h01`, 'ubuntu2204', 'ovs', '10.255.0.11'],
      [`${prefix}h02`, 'centos7', 'ovs', '10.255.0.12'],
      [`${prefix}h03`, 'ubuntu2404', 'linux', '10.255.0.13'],
    ]);
    expect(hosts[0].nics.map((n) => `${n.name}>${n.labBridge}`)).toEqual(['eth0>labbr0', 'eth1>labbr0', 'eth2>labbr1', 'eth3>labbr1']);
    expect(hosts[0].hostKeyFingerprint).toMatch(/^SHA256:/);
  });

  it('lab-up with the same arguments on a healthy lab changes nothing', async () => {
    const again = await Lab.up({ hosts: 3, personas: ['ubuntu2204', 'centos7', 'ubuntu2404'], ovs: ['ovs', 'ovs', 'linux'], stateDir, prefix });
    expect(again.inventory).toEqual(live().inventory); // same host keys: nothing was rebuilt
  });

  it('is visible to the residue scan while up (so the scan after lab-down can fail)', async () => {
    const residue = await findLabResidue(prefix, stateDir);
    expect(residue.namespaces.sort()).toEqual([`${prefix}h01`, `${prefix}h02`, `${prefix}h03`, `${prefix}lab`]);
    expect(residue.processes.some((p) => p.includes('sshd'))).toBe(true);
    expect(residue.processes.some((p) => p.includes('ovs-vswitchd'))).toBe(true);
    expect(residue.mounts.some((m) => m.includes(' /etc '))).toBe(true);
  });

  it('writes a simulator topology whose Disabled KVM hosts are the lab hosts', () => {
    const topology = loadSimulatorTopology(live().inventory.topologyPath);
    const zone = topology.zones[0];
    expect(zone.pods[0]).toMatchObject({ gateway: '10.255.0.1', netmask: '255.255.255.0' });
    expect(zone.pods[0].clusters[0].hosts.map((h) => [h.name, h.ipAddress, h.resourceState])).toEqual(
      live().inventory.hosts.map((h) => [h.name, h.managementIp, 'Disabled']),
    );
    expect(zone.physicalNetworks.map((n) => n.trafficTypes.map((t) => `${t.type}:${t.kvmNetworkLabel}`))).toEqual([
      ['Management:cloudbr0', 'Guest:cloudbr0', 'Storage:cloudbr0'],
      ['Public:cloudbr1'],
    ]);
  });

  it.each([
    [0, 'ubuntu', '22.04'],
    [1, 'centos', '7'],
    [2, 'ubuntu', '24.04'],
  ])('host %i answers real SSH with its persona and hostname', async (index, id, version) => {
    const host = live().inventory.hosts[index];
    const r = await live().sshExec(host, '. /etc/os-release; echo "$ID $VERSION_ID"; hostname');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${id} ${version}\n${host.name}\n`);
  });

  it('gives each host its own machine-id, as installed hosts have (networkd derives bridge MACs from it)', async () => {
    const ids = await Promise.all(live().inventory.hosts.map(async (h) => (await live().sshExec(h, 'cat /etc/machine-id')).stdout));
    expect(ids.every((id) => /^[0-9a-f]{32}\n$/.test(id))).toBe(true);
    const machines = existsSync('/etc/machine-id') ? [readFileSync('/etc/machine-id', 'utf8')] : [];
    expect(new Set([...ids, ...machines]).size).toBe(ids.length + machines.length);
  });

  it('gives each host private /etc, /sbin and /var/lib: the real ones stay untouched', async () => {
    const host = live().inventory.hosts[0];
    const r = await live().sshExec(host, [
      `echo probe > /etc/${prefix}-probe`,
      'echo "ID=tampered" > /etc/os-release',
      `echo '#!/bin/sh' > /sbin/${prefix}-ifup-localovs`,
      'mkdir -p /var/lib/hostnet && echo x > /var/lib/hostnet/state',
      `cat /etc/${prefix}-probe /var/lib/hostnet/state`,
    ].join(' && '));
    expect(r).toMatchObject({ code: 0, stdout: 'probe\nx\n' });
    expect(existsSync(`/etc/${prefix}-probe`)).toBe(false);
    expect(existsSync(`/usr/sbin/${prefix}-ifup-localovs`)).toBe(false);
    expect(existsSync('/var/lib/hostnet/state')).toBe(false);
    expect(lstatSync('/etc/os-release').isSymbolicLink()).toBe(true);
    expect(sha('/usr/lib/os-release')).toBe(realOsRelease);
    const other = await live().sshExec(live().inventory.hosts[2], `test -e /etc/${prefix}-probe; echo $?`);
    expect(other.stdout).toBe('1\n');
  });

  it('keeps SSH reachable after the management IP moves onto an OVS bridge over an active-backup bond', async () => {
    const host = live().inventory.hosts[0];
    const cidr = `${host.managementIp}/${host.prefix}`;
    const moved = await live().sshExec(host, [
      'ovs-vsctl add-br cloudbr0 -- set bridge cloudbr0 datapath_type=netdev',
      'ovs-vsctl add-bond cloudbr0 bond0 eth0 eth1 bond_mode=active-backup other_config:bond-detect-mode=miimon other_config:bond-miimon-interval=100',
      `ip addr del ${cidr} dev eth0`,
      `ip addr add ${cidr} dev cloudbr0`,
      'ip link set cloudbr0 up',
      `ip route replace default via ${host.gateway} dev cloudbr0`,
    ].join(' && '));
    expect(moved).toMatchObject({ code: 0, stderr: '' });

    const after = await live().sshExec(host, 'ip -br -4 addr show cloudbr0; ip -br -4 addr show eth0; ovs-appctl bond/show bond0');
    expect(after.code).toBe(0);
    expect(after.stdout).toContain(`cloudbr0         UNKNOWN        ${cidr}`);
    expect(after.stdout).not.toMatch(/^eth0 .*10\.255/m);
    expect(after.stdout).toContain('bond_mode: active-backup');
    expect(after.stdout).toMatch(/member eth[01]: enabled\n\s+active member/);
  });

  it('fails the bond over when the active member loses carrier, and SSH keeps answering', async () => {
    const host = live().inventory.hosts[0];
    const activeOf = async () => {
      const r = await live().sshExec(host, 'ovs-appctl bond/show bond0');
      return /member (eth[01]): enabled\n\s+active member/.exec(r.stdout)?.[1];
    };
    const before = await activeOf();
    expect(before).toMatch(/^eth[01]$/);
    const peer = host.nics.find((n) => n.name === before)!.labPeer;
    expect((await live().execInLab(['ip', 'link', 'set', peer, 'down'])).code).toBe(0);
    await new Promise((r) => setTimeout(r, 400)); // miimon polls every 100 ms
    expect(await activeOf()).toBe(before === 'eth0' ? 'eth1' : 'eth0');
    expect((await live().execInLab(['ip', 'link', 'set', peer, 'up'])).code).toBe(0);
  });

  it('runs each OVS host on its own database, and none on the Linux-bridge host', async () => {
    const [ovsA, ovsB, linux] = live().inventory.hosts;
    const a = await live().sshExec(ovsA, 'ovs-vsctl list-br');
    const b = await live().sshExec(ovsB, 'ovs-vsctl list-br');
    const c = await live().sshExec(linux, 'ovs-vsctl --timeout=2 list-br');
    expect(a.stdout).toBe('cloudbr0\n');
    expect(b).toMatchObject({ code: 0, stdout: '' });
    expect(c.code).not.toBe(0);
  });

  it('lab-down leaves no namespaces, processes or mounts behind', async () => {
    const last = live();
    lab = undefined;
    await last.down();
    await last.down(); // idempotent: a second teardown finds nothing and succeeds
    expect(await findLabResidue(prefix, stateDir)).toEqual({ namespaces: [], processes: [], mounts: [] });
    expect(existsSync(stateDir)).toBe(false);
    expect(sha('/usr/lib/os-release')).toBe(realOsRelease);
    expect(readdirSync('/etc').sort()).toEqual(realEtc);
  }, 30_000);
});
