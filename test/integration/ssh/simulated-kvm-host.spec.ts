import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LiveState } from '@hostnet/intent';
import { SshConnector, SshUnreachableError, shellQuote, type HostSession } from '@hostnet/ssh';
import { KVM_HOST_PERSONAS, SimulatedKvmHost } from '../../../apps/simulator/src/kvm-host';
import { SshTestKit } from './ssh-test-kit';

const NEW_STATE: LiveState = {
  links: [
    { name: 'eth0', kind: 'nic', master: 'bond0', up: true },
    { name: 'eth1', kind: 'nic', master: 'bond0', up: true },
    { name: 'eth2', kind: 'nic', up: true },
    { name: 'eth3', kind: 'nic', up: true },
    { name: 'bond0', kind: 'bond', members: ['eth0', 'eth1'], master: 'cloudbr0', up: true },
    { name: 'cloudbr0', kind: 'bridge', members: ['bond0'], up: true },
    { name: 'bond0.200', kind: 'vlan', parent: 'bond0', vlanId: 200, master: 'cloudbr1', up: true },
    { name: 'cloudbr1', kind: 'bridge', members: ['bond0.200'], up: true },
  ],
  addresses: [{ dev: 'cloudbr0', address: '192.168.100.10', prefix: 24 }],
  routes: [{ to: 'default', via: '192.168.100.1', dev: 'cloudbr0' }],
};

interface IpLink {
  ifname: string;
  link?: string;
  master?: string;
  operstate: string;
  link_type: string;
  linkinfo?: { info_kind?: string; info_data?: { id?: number; mode?: string }; info_slave_kind?: string };
  addr_info?: Array<{ family: string; local: string; prefixlen: number }>;
}

describe('SimulatedKvmHost', () => {
  const kit = new SshTestKit();
  const connector = new SshConnector();
  const hosts: SimulatedKvmHost[] = [];
  const start = async (name: string, extra: Partial<Parameters<typeof SimulatedKvmHost.start>[0]> = {}): Promise<SimulatedKvmHost> => {
    const host = await SimulatedKvmHost.start({ name, persona: 'ubuntu2404', authorizedKeys: [kit.publicKey], ...extra });
    hosts.push(host);
    return host;
  };
  const connect = (host: SimulatedKvmHost): Promise<HostSession> =>
    connector.connect(kit.endpoint(host), { knownHostsPath: kit.pinnedKnownHosts(host), trustOnFirstUse: false, connectTimeoutMs: 3000, commandTimeoutMs: 10000 });
  const json = async <T>(session: HostSession, command: string): Promise<T> => {
    const result = await session.exec(command);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    return JSON.parse(result.stdout) as T;
  };
  const upload = (session: HostSession, state: LiveState): Promise<unknown> =>
    session.exec('mkdir -p "$HOSTNET_ROOT/var/lib/hostnet" && cat > "$HOSTNET_ROOT/var/lib/hostnet/expected-state.json"', { stdin: JSON.stringify(state) });

  afterAll(async () => {
    try {
      await Promise.all(hosts.map((h) => h.stop()));
    } finally {
      kit.cleanup();
    }
  });

  it('seeds each persona with its os-release, config files and exactly its tools', async () => {
    const personas = await Promise.all(KVM_HOST_PERSONAS.map((persona) => start(`kvm-${persona}`, { persona })));
    const probe = 'for t in ip ifup ifdown service netplan nmcli ovs-vsctl ifreload; do command -v "$t" >/dev/null && printf "%s " "$t"; done; . "$HOSTNET_ROOT/etc/os-release"; echo "$ID:$VERSION_ID"; cat "$HOSTNET_ROOT/etc/hostname"; find etc -type f | sort';
    const seen: Record<string, string[]> = {};
    await Promise.all(
      personas.map(async (host) => {
        const session = await connect(host);
        const out = await session.exec(probe);
        seen[host.persona] = out.stdout.trim().split('\n');
        await session.close();
      }),
    );
    expect(seen).toEqual({
      centos7: ['ip ifup ifdown service centos:7', 'kvm-centos7', 'etc/hostname', 'etc/os-release', 'etc/sysconfig/network', 'etc/sysconfig/network-scripts/ifcfg-eth0', 'etc/sysconfig/network-scripts/ifcfg-lo'],
      rocky9: ['ip nmcli rocky:9.4', 'kvm-rocky9', 'etc/NetworkManager/system-connections/eth0.nmconnection', 'etc/hostname', 'etc/os-release'],
      ubuntu2204: ['ip netplan ubuntu:22.04', 'kvm-ubuntu2204', 'etc/hostname', 'etc/netplan/50-cloud-init.yaml', 'etc/os-release'],
      ubuntu2404: ['ip netplan ubuntu:24.04', 'kvm-ubuntu2404', 'etc/hostname', 'etc/netplan/50-cloud-init.yaml', 'etc/os-release'],
      debian12: ['ip ifup ifdown service debian:12', 'kvm-debian12', 'etc/hostname', 'etc/network/interfaces', 'etc/os-release'],
    });
    const ubuntu = personas.find((h) => h.persona === 'ubuntu2204') as SimulatedKvmHost;
    expect(readFileSync(join(ubuntu.rootDir, '.sim/tools'), 'utf8').split('\n')).toContain('netplan');
    expect(readFileSync(join(ubuntu.rootDir, 'etc/netplan/50-cloud-init.yaml'), 'utf8')).toContain('- 192.168.100.10/24');
  });

  it('answers `ip -j` in iproute2 shape from the live state', async () => {
    const host = await start('kvm-ip');
    const session = await connect(host);
    const addrs = await json<IpLink[]>(session, 'ip -j addr show');
    expect(addrs.map((l) => l.ifname)).toEqual(['lo', 'eth0', 'eth1', 'eth2', 'eth3']);
    expect(addrs[1]).toMatchObject({ ifname: 'eth0', operstate: 'UP', link_type: 'ether', addr_info: [{ family: 'inet', local: '192.168.100.10', prefixlen: 24 }] });
    expect(addrs[0]?.addr_info?.map((a) => a.local)).toEqual(['127.0.0.1', '::1']);
    const routes = await json<Array<Record<string, unknown>>>(session, 'ip -j route show');
    expect(routes).toEqual([
      { dst: 'default', gateway: '192.168.100.1', dev: 'eth0', protocol: 'static', flags: [] },
      { dst: '192.168.100.0/24', dev: 'eth0', protocol: 'kernel', scope: 'link', prefsrc: '192.168.100.10', flags: [] },
    ]);
    await expect(session.exec('ip -j link show dev eth9')).resolves.toMatchObject({ code: 1, stderr: 'Device "eth9" does not exist.\n' });
    await expect(session.exec('ping -c1 -W1 192.168.100.1')).resolves.toMatchObject({ code: 0 });
    await expect(session.exec('ping -c1 -W1 192.168.100.99')).resolves.toMatchObject({ code: 1 });
    await session.close();
  });

  it("models a relabel's live steps: ip link add of a bridge and a veth pair, master moves, and del taking the peer", async () => {
    const host = await start('kvm-veth');
    const session = await connect(host);
    const ok = async (command: string) => expect(await session.exec(command)).toMatchObject({ code: 0, stderr: '' });
    await upload(session, NEW_STATE);
    await ok('netplan apply');
    await ok('ip link add name cloudbr9 type bridge stp_state 0 forward_delay 0');
    await ok('ip link set dev cloudbr9 up');
    await ok('ip link add name ethl-cloudbr9 mtu 1500 type veth peer name lnk-cloudbr1 mtu 1500');
    expect(await session.exec('ip link add name lnk-cloudbr1 type veth peer name x')).toMatchObject({ code: 2, stderr: 'RTNETLINK answers: File exists\n' });
    await ok('ip link set dev ethl-cloudbr9 master cloudbr1 up');
    await ok('ip link set dev lnk-cloudbr1 master cloudbr9 up');
    await ok('ip link set dev bond0.200 master cloudbr9');
    const links = new Map((await json<IpLink[]>(session, 'ip -j -d link show')).map((l) => [l.ifname, l]));
    expect(links.get('ethl-cloudbr9')).toMatchObject({ link: 'lnk-cloudbr1', master: 'cloudbr1', operstate: 'UP', linkinfo: { info_kind: 'veth', info_slave_kind: 'bridge' } });
    expect(links.get('bond0.200')).toMatchObject({ master: 'cloudbr9' });
    const live = new Map(host.readLiveState().links.map((l) => [l.name, l]));
    expect(live.get('cloudbr1')?.members).toEqual(['ethl-cloudbr9']);
    expect(live.get('cloudbr9')?.members).toEqual(['bond0.200', 'lnk-cloudbr1']);
    await ok('ip link set dev bond0.200 nomaster');
    expect(host.readLiveState().links.find((l) => l.name === 'bond0.200')?.master).toBeUndefined();
    await ok('ip link del dev ethl-cloudbr9');
    expect(host.readLiveState().links.map((l) => l.name)).not.toEqual(expect.arrayContaining(['lnk-cloudbr1']));
    expect(host.readLiveState().links.find((l) => l.name === 'cloudbr9')?.members).toEqual([]);
    await session.close();
  });

  it('turns the uploaded expected state into the live state on activation', async () => {
    const host = await start('kvm-apply', { applyLatencyMs: 150 });
    const session = await connect(host);
    await upload(session, NEW_STATE);
    expect(host.readLiveState().links.map((l) => l.kind)).toEqual(['nic', 'nic', 'nic', 'nic']);
    const started = Date.now();
    await expect(session.exec('netplan apply')).resolves.toMatchObject({ code: 0 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(host.readLiveState()).toEqual(NEW_STATE);
    const links = await json<IpLink[]>(session, 'ip -j -d link show');
    const byName = new Map(links.map((l) => [l.ifname, l]));
    expect(byName.get('cloudbr0')?.linkinfo?.info_kind).toBe('bridge');
    expect(byName.get('bond0')).toMatchObject({ master: 'cloudbr0', linkinfo: { info_kind: 'bond', info_slave_kind: 'bridge' } });
    expect(byName.get('eth0')).toMatchObject({ master: 'bond0', linkinfo: { info_slave_kind: 'bond' } });
    expect(byName.get('bond0.200')).toMatchObject({ link: 'bond0', master: 'cloudbr1', linkinfo: { info_kind: 'vlan', info_data: { id: 200 } } });
    // The wrapper answers common forms from .sim/ip-cache; node renders the rest: both must agree.
    expect(await json<IpLink[]>(session, 'ip -j -p -d link show')).toEqual(links);
    expect(await json<IpLink[]>(session, 'ip -json -details addr show')).toEqual(await json<IpLink[]>(session, 'ip -j -d addr show'));
    expect((await session.exec('ip -j route show')).stdout).toBe(readFileSync(join(host.rootDir, '.sim/ip-cache/route.json'), 'utf8'));
    const plain = await json<IpLink[]>(session, 'ip -j link show');
    expect(plain.every((l) => l.linkinfo === undefined)).toBe(true);
    await upload(session, { links: 'nope' } as unknown as LiveState);
    await expect(session.exec('netplan apply')).resolves.toMatchObject({ code: 1, stderr: expect.stringContaining('not a LiveState') });
    await session.close();
  });

  it('models OVS through ovs-vsctl and ovs-appctl when the host has them', async () => {
    const host = await start('kvm-ovs', { persona: 'debian12', extraTools: ['ovs-vsctl', 'ovs-appctl'] });
    const session = await connect(host);
    const setup = 'ovs-vsctl --may-exist add-br cloudbr0 -- --may-exist add-bond cloudbr0 bond0 eth2 eth3 bond_mode=active-backup && ovs-vsctl --may-exist add-br cloudbr100 cloudbr0 100 && ovs-vsctl set bridge cloudbr0 datapath_type=netdev';
    await expect(session.exec(setup)).resolves.toMatchObject({ code: 0, stderr: '' });
    await expect(session.exec(setup)).resolves.toMatchObject({ code: 0 });
    const out = await session.exec('ovs-vsctl list-br; ovs-vsctl list-ports cloudbr0; ovs-vsctl port-to-br bond0; ovs-vsctl br-to-vlan cloudbr100; ovs-vsctl br-to-parent cloudbr100; ovs-vsctl get port cloudbr100 tag; ovs-vsctl br-exists nope; echo "rc=$?"');
    expect(out.stdout).toBe('cloudbr0\ncloudbr100\nbond0\ncloudbr0\n100\ncloudbr0\n100\nrc=2\n');
    expect((await session.exec('ovs-appctl bond/show bond0')).stdout).toContain('member eth2: enabled');
    const links = await json<IpLink[]>(session, 'ip -j -d link show');
    const byName = new Map(links.map((l) => [l.ifname, l]));
    expect(byName.get('eth2')).toMatchObject({ master: 'ovs-system', linkinfo: { info_slave_kind: 'openvswitch' } });
    expect(byName.get('cloudbr0')?.linkinfo?.info_kind).toBe('openvswitch');
    expect(byName.has('bond0')).toBe(false);
    await expect(session.exec('ovs-vsctl add-br cloudbr0')).resolves.toMatchObject({ code: 1, stderr: expect.stringContaining('already exists') });
    await session.close();
  });

  it('loses the management path after an armed apply until a rollback restores the old state', async () => {
    const host = await start('kvm-lose', { persona: 'debian12' });
    const original = host.readLiveState();
    const session = await connect(host);
    await upload(session, NEW_STATE);
    host.faults.loseManagementAfterApply = true;
    // Like hostnet's apply: back up, write the new file, arm a detached rollback timer, then activate (twice).
    // The timer leaves the activation (slow on a loaded machine) time to finish first.
    const apply = [
      'cp etc/network/interfaces etc/network/interfaces.hostnet-bak',
      'echo "auto cloudbr0" >> etc/network/interfaces',
      `setsid sh -c ${shellQuote('sleep 3; mv etc/network/interfaces.hostnet-bak etc/network/interfaces; ifdown -a; ifup -a')} </dev/null >/dev/null 2>&1 &`,
      'ifup -a && ifup cloudbr0 && echo applied',
    ].join('\n');
    await expect(session.exec(apply)).resolves.toMatchObject({ code: 0, stdout: 'applied\n' });
    expect(host.reachable).toBe(false);
    expect(host.faults.loseManagementAfterApply).toBe(false);
    expect(host.readLiveState()).toEqual(NEW_STATE);
    const refusedBefore = host.stats.refusedConnections;
    await expect(connect(host)).rejects.toBeInstanceOf(SshUnreachableError);
    expect(host.stats.refusedConnections).toBe(refusedBefore + 1);
    await session.close();

    // The restore runs the stand-ins' ifdown/ifup: on a loaded 2-core machine that alone has taken over
    // 5 s (when each was a node process), so the wait is generous; it ends as soon as the host is back.
    const deadline = Date.now() + 20_000;
    const restored = () => host.reachable && JSON.stringify(host.readLiveState()) === JSON.stringify(original);
    while (!restored() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(host.readLiveState()).toEqual(original);
    const again = await connect(host);
    await expect(again.exec('echo back')).resolves.toMatchObject({ stdout: 'back\n' });
    await again.close();
  });

  it('lets detached processes outlive their exec, and stop() kills them', async () => {
    const host = await start('kvm-detach', { persona: 'rocky9' }); // stop() below; afterAll's second stop() is harmless
    const session = await connect(host);
    const out = await session.exec('setsid sleep 30 </dev/null >/dev/null 2>&1 & echo $!');
    const pid = Number(out.stdout.trim());
    await session.close();
    expect(alive(pid)).toBe(true);
    await host.stop();
    const deadline = Date.now() + 2000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(alive(pid)).toBe(false);
  });
});

/** True while the process exists and is not a zombie. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
