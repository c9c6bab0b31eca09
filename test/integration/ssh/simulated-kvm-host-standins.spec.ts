import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LiveState } from '@hostnet/intent';
import { SshConnectionLostError, SshConnector, type HostSession } from '@hostnet/ssh';
import { SimulatedKvmHost, type LatencyPer } from '../../../apps/simulator/src/kvm-host';
import { HostGates } from '../../faults/host-gates';
import { SshTestKit } from './ssh-test-kit';

/** The state an activation would apply: a bridge on eth0. */
const NEW_STATE: LiveState = {
  links: [
    { name: 'eth0', kind: 'nic', master: 'cloudbr0', up: true },
    { name: 'eth1', kind: 'nic', up: true },
    { name: 'cloudbr0', kind: 'bridge', members: ['eth0'], up: true },
  ],
  addresses: [{ dev: 'cloudbr0', address: '192.168.100.10', prefix: 24 }],
  routes: [{ to: 'default', via: '192.168.100.1', dev: 'cloudbr0' }],
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The stand-ins run in the simulator's stand-in server; these are the guarantees the node processes gave. */
describe('SimulatedKvmHost stand-ins (served in-process)', () => {
  const kit = new SshTestKit();
  const connector = new SshConnector();
  const hosts: SimulatedKvmHost[] = [];
  const start = async (name: string, applyLatencyMs = 0, latencyPer: LatencyPer = 'activation'): Promise<SimulatedKvmHost> => {
    const host = await SimulatedKvmHost.start({ name, persona: 'ubuntu2404', nics: ['eth0', 'eth1'], authorizedKeys: [kit.publicKey], applyLatencyMs, latencyPer });
    hosts.push(host);
    return host;
  };
  const connect = (host: SimulatedKvmHost): Promise<HostSession> =>
    connector.connect(kit.endpoint(host), { knownHostsPath: kit.pinnedKnownHosts(host), trustOnFirstUse: false, connectTimeoutMs: 5000, commandTimeoutMs: 20000 });
  const upload = (session: HostSession): Promise<unknown> =>
    session.exec('mkdir -p "$HOSTNET_ROOT/var/lib/hostnet" && cat > "$HOSTNET_ROOT/var/lib/hostnet/expected-state.json"', { stdin: JSON.stringify(NEW_STATE) });
  /** Starts `netplan apply` in the background; its pid. */
  const background = async (session: HostSession): Promise<number> => Number((await session.exec('netplan apply </dev/null >/dev/null 2>&1 & echo $!')).stdout.trim());

  afterAll(async () => {
    try {
      await Promise.all(hosts.map((h) => h.stop()));
    } finally {
      kit.cleanup();
    }
  });

  it.each([
    ['activation', [true, true, true]],
    ['apply', [true, false, false]],
  ] as const)('latency per %s: which of a run\'s three activations take the latency', async (per, slow) => {
    const latency = 2500;
    const session = await connect(await start(`kvm-lat-${per}`, latency, per));
    await upload(session);
    const took: boolean[] = [];
    for (let i = 0; i < 3; i += 1) {
      const t0 = Date.now();
      expect((await session.exec('netplan apply')).code).toBe(0);
      took.push(Date.now() - t0 >= latency);
    }
    expect(took).toEqual(slow);
  });

  it('an activation killed during its latency changes nothing', async () => {
    const host = await start('kvm-kill', 1500);
    const before = host.readLiveState();
    const session = await connect(host);
    await upload(session);
    const pid = await background(session);
    await sleep(200);
    process.kill(pid, 'SIGKILL');
    await sleep(2000);
    expect(host.readLiveState()).toEqual(before);
    expect(host.readLiveHistory()).toHaveLength(1);
    // not consumed either: the next activation applies the upload
    await expect(session.exec('netplan apply')).resolves.toMatchObject({ code: 0 });
    expect(host.readLiveState()).toEqual(NEW_STATE);
    await session.close();
  });

  it('a reboot during an activation boots from the files, and the activation never lands', async () => {
    const host = await start('kvm-reboot', 3000);
    const before = host.readLiveState();
    const session = await connect(host);
    await upload(session);
    await background(session);
    await sleep(200);
    // (a reboot scans /proc: on a loaded machine that alone can take a second, hence the long latency)
    const { killed } = await host.faults.reboot();
    expect(killed).toBeGreaterThanOrEqual(1);
    await sleep(3500);
    expect(host.readLiveState()).toEqual(before);
    await session.close();
  });

  it("an activation leaves a VM's tap in a bridge it keeps, and takes it with a bridge it removes", async () => {
    const host = await start('kvm-taps');
    const session = await connect(host);
    await upload(session);
    expect((await session.exec('netplan apply')).code).toBe(0);
    // libvirt plugs two VMs in: one into cloudbr0, one into a bridge the next files no longer have
    const live = host.readLiveState();
    const withTaps: LiveState = {
      ...live,
      links: [
        ...live.links.map((l) => (l.name === 'cloudbr0' ? { ...l, members: ['eth0', 'vnet0'] } : l)),
        { name: 'cloudbr9', kind: 'bridge', members: ['vnet1'], up: true },
        { name: 'vnet0', kind: 'nic', master: 'cloudbr0', up: true, mtu: 9000 },
        { name: 'vnet1', kind: 'nic', master: 'cloudbr9', up: true },
      ],
    };
    (require(join(host.rootDir, '.sim', 'lib', 'sim-state.js')) as { writeState: (state: LiveState, dir: string) => void }).writeState(withTaps, join(host.rootDir, '.sim'));
    // the next run's files: cloudbr0 on a new address
    const next: LiveState = { ...NEW_STATE, addresses: [{ dev: 'cloudbr0', address: '192.168.100.11', prefix: 24 }] };
    await session.exec('cat > "$HOSTNET_ROOT/var/lib/hostnet/expected-state.json"', { stdin: JSON.stringify(next) });
    expect((await session.exec('netplan apply')).code).toBe(0);
    const after = host.readLiveState();
    expect(after.links.find((l) => l.name === 'cloudbr0')?.members).toEqual(['eth0', 'vnet0']);
    expect(after.links.find((l) => l.name === 'vnet0')).toEqual({ name: 'vnet0', kind: 'nic', master: 'cloudbr0', up: true, mtu: 9000 });
    expect(after.links.map((l) => l.name).filter((n) => n === 'cloudbr9' || n === 'vnet1')).toEqual([]);
    expect(after.addresses).toEqual(next.addresses);
  });

  it('dropConnectionDuringApply drops the session, and the activation still applies', async () => {
    const host = await start('kvm-drop', 100);
    const session = await connect(host);
    await upload(session);
    host.faults.dropConnectionDuringApply = true;
    await expect(session.exec('netplan apply')).rejects.toBeInstanceOf(SshConnectionLostError);
    const deadline = Date.now() + 5000;
    while (JSON.stringify(host.readLiveState()) !== JSON.stringify(NEW_STATE) && Date.now() < deadline) await sleep(50);
    expect(host.readLiveState()).toEqual(NEW_STATE);
    expect(host.faults.dropConnectionDuringApply).toBe(false);
  });

  it('runs behind the fault gates: a failed call, then a dropped one that still applies', async () => {
    const host = await start('kvm-gates', 50);
    const gates = await HostGates.install(host.rootDir);
    const session = await connect(host);
    await upload(session);
    const fail = gates.arm({ tool: 'netplan', pattern: '^apply$', action: 'fail' });
    await expect(session.exec('netplan apply')).resolves.toMatchObject({ code: 1, stderr: 'hostnet-sim gate: injected failure of netplan apply\n' });
    expect(gates.hit(fail)).toBe(true);
    gates.arm({ tool: 'netplan', pattern: '^apply$', action: 'drop' });
    await expect(session.exec('netplan apply')).rejects.toBeInstanceOf(SshConnectionLostError);
    const deadline = Date.now() + 5000;
    while (JSON.stringify(host.readLiveState()) !== JSON.stringify(NEW_STATE) && Date.now() < deadline) await sleep(50);
    expect(host.readLiveState()).toEqual(NEW_STATE);
    expect(gates.calls().filter((c) => c.startsWith('netplan'))).toEqual(['netplan apply', 'netplan apply']);
  });

  it('serialises concurrent changes of one host: none is lost', async () => {
    const host = await start('kvm-many');
    const session = await connect(host);
    const script = `for i in $(seq 1 24); do ip link add name br$i type bridge & done; wait; ip -j link show | tr ',' '\\n' | grep -c '"ifname":"br'`;
    await expect(session.exec(script)).resolves.toMatchObject({ code: 0, stdout: '24\n', stderr: '' });
    expect(host.readLiveState().links.filter((l) => l.name.startsWith('br'))).toHaveLength(24);
    expect(await SimulatedKvmHost.standinCpuMs()).toBeGreaterThan(0); // the server thread did the work
    await session.close();
  });

  it('carries any argument bytes but NUL, and answers stdout, stderr and exit code apart', async () => {
    const host = await start('kvm-bytes');
    const session = await connect(host);
    const result = await session.exec(`ip -j link show "$(printf 'a\\tb"c\\\\ d')" 2>err; echo "rc=$?"; cat err`);
    expect(result).toMatchObject({ code: 0, stdout: 'rc=1\nDevice "a\tb"c\\ d" does not exist.\n' });
    await expect(session.exec('systemctl is-active NetworkManager; netplan frob; echo "rc=$?"')).resolves.toMatchObject({ stdout: 'active\nrc=0\n' });
    expect(readFileSync(join(host.rootDir, '.sim', 'bin', 'netplan'), 'utf8')).toMatch(/^#!\/bin\/bash\n/); // a client, no node
    await session.close();
  });

  it('ip addr|route flush prints nothing and leaves the state to the next activation; a missing device fails as iproute2 does', async () => {
    const host = await start('kvm-flush');
    const session = await connect(host);
    await session.exec('ip addr add 192.0.2.5/24 dev eth1; ip route add 198.51.100.0/24 via 192.0.2.1 dev eth1');
    const before = host.readLiveState();
    // it printed the device (taken for a show) and added a route to "dev" (taken for an add)
    await expect(session.exec('ip -4 route flush dev eth1; ip -4 addr flush dev eth1; ip a f dev eth1')).resolves.toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(host.readLiveState()).toEqual(before);
    await expect(session.exec('ip -4 addr flush dev nosuch0')).resolves.toMatchObject({ code: 1, stdout: '', stderr: 'Device "nosuch0" does not exist.\n' });
    await expect(session.exec('ip -4 route flush dev nosuch0')).resolves.toMatchObject({ code: 1, stdout: '', stderr: 'Cannot find device "nosuch0"\n' });
    await expect(session.exec('ip addr flush')).resolves.toMatchObject({ code: 1, stderr: 'Flush requires arguments.\n' });
    await expect(session.exec('ip route flush')).resolves.toMatchObject({ code: 1, stderr: '"ip route flush" requires arguments.\n' });
    await expect(session.exec('ip -4 addr flush dev lo')).resolves.toMatchObject({ code: 0, stdout: '' });
    await session.close();
  });
});
