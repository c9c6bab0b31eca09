import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApplyOutcomeSummary, RelabelHostStep } from '@hostnet/contracts';
import type { HostRunSpecRepository } from '@hostnet/platform';
import { HostSpecService, runHostOf, type HostRunSpec } from '@hostnet/host-spec';
import type { SshConnector, SshEndpoints } from '@hostnet/ssh';
import { HostRunService } from '../../../apps/worker/src/host-run/host-run.service';
import type { WorkerConfig } from '../../../apps/worker/src/worker-config';
import { Lab } from '../lab';
import { labRelabelProfiles, labRelabelTopology } from './lab-relabel-zone';
import { labRelabelJob } from './lab-relabel-job';
import { NsenterSession } from './nsenter-session';

/**
 * One relabel of Public (cloudbr1 → cloudbr9) on a real OVS host (CentOS 7 network-scripts, whose activation touches only changed interfaces), driven through the
 * worker's HostRunService exactly as configure jobs carrying `relabel` would: layout old → a "VM" on
 * cloudbr1 pings the lab router → both (cloudbr9 beside cloudbr1, patched; the VM keeps pinging; a
 * namespace on cloudbr9 reaches the router too; agent restarted) → the VM moves (as a migration would)
 * → new (cloudbr1 and the patch gone, eth2 on cloudbr9, agent.properties follows, agent restarted).
 */
const prefix = `hnr${process.pid % 1000}`;
const stateDir = `/run/hostnet-lab-relabel-${process.pid}`;
const AGENT_PROPERTIES = ['# written by the test', 'private.network.device=cloudbr0', 'public.network.device=cloudbr1', 'guest.network.device=cloudbr0', 'workers=5', ''].join('\n');

describe('lab: relabel Public cloudbr1 → cloudbr9 on an OVS host, layouts old → both → new', () => {
  let lab: Lab;
  let host: string;
  let service: HostRunService;
  /** What api would derive and store for a job: the lab zone's spec with the step's overlay. */
  let specOf: (relabel: RelabelHostStep) => HostRunSpec;
  let runs = 0;
  const sh = async (command: string): Promise<string> => {
    const r = await lab.hostExec(host, ['sh', '-c', command]);
    if (r.code !== 0) throw new Error(`${command} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };
  const ok = async (command: string): Promise<boolean> => (await lab.hostExec(host, ['sh', '-c', command])).code === 0;
  const step = (layout: RelabelHostStep['layout'], restartAgent: boolean): RelabelHostStep => ({
    rolloutId: 'rl-lab-1',
    layout,
    changes: [{ physicalNetworkId: 'pn2', trafficType: 'Public', oldLabel: 'cloudbr1', newLabel: 'cloudbr9' }],
    restartAgent,
  });
  /** `redeliver`: the same job again (BullMQ keeps its requestId), not a new request. */
  const run = (relabel: RelabelHostStep, redeliver = false): Promise<ApplyOutcomeSummary> => {
    if (!redeliver) runs += 1;
    const job = labRelabelJob({ hostName: host, specHash: specOf(relabel).specHash, relabel, requestId: `relabel-${runs}`, by: 'lab-relabel-spec' });
    return service.run(job);
  };
  const restarts = async () => (await sh('cat /run/lab/cloudstack-agent.log 2>/dev/null || true')).split('\n').filter(Boolean);
  const pingsFrom = (ns: string) => ok(`ip netns exec ${ns} ping -c2 -W2 10.255.1.1`);

  beforeAll(async () => {
    lab = await Lab.up({ hosts: 1, personas: ['centos7'], ovs: ['ovs'], stateDir, prefix });
    const labHost = lab.inventory.hosts[0];
    host = labHost.name;
    const pid = readFileSync(join(labHost.stateDir, 'init.pid'), 'utf8').trim();
    const topology = labRelabelTopology({ name: host, address: '10.255.0.11' });
    const config = {
      HOSTNET_SSH_KEY: '/nonexistent',
      HOSTNET_KNOWN_HOSTS: '/nonexistent',
      HOSTNET_TRUST_ON_FIRST_USE: false,
      HOSTNET_SSH_CONNECT_TIMEOUT_MS: 5_000,
      HOSTNET_SSH_COMMAND_TIMEOUT_MS: 60_000,
      HOSTNET_ROLLBACK_SECONDS: 45,
      HOSTNET_OVS_DATAPATH: 'netdev',
    } as unknown as WorkerConfig;
    const specs = new HostSpecService(labRelabelProfiles());
    const labHost1 = topology.hosts.find((h) => h.id === 'lab-host-1')!;
    specOf = (relabel) => ({ host: runHostOf(labHost1), ...specs.specFor(topology, labHost1.id, relabel) });
    const stored = new Map<string, HostRunSpec>();
    const repository = { spec: async (hash: string) => stored.get(hash) } as unknown as HostRunSpecRepository;
    const remember = (relabel: RelabelHostStep) => stored.set(specOf(relabel).specHash, specOf(relabel));
    const endpoints = { resolve: () => ({ host: '10.255.0.11', port: 22, user: 'root', source: 'endpoints-file' }) } as unknown as SshEndpoints;
    const ssh = { connect: async () => new NsenterSession(pid) } as unknown as SshConnector;
    for (const layout of ['old', 'both', 'new'] as const) for (const restart of [false, true]) remember(step(layout, restart));
    service = new HostRunService(config, repository, endpoints, ssh);
    await sh(`mkdir -p /etc/cloudstack/agent && printf '%s' '${AGENT_PROPERTIES}' > /etc/cloudstack/agent/agent.properties`);
  }, 60_000);

  afterAll(async () => {
    await lab?.down();
  }, 60_000);

  it('old, then a VM on cloudbr1 pings the router; both keeps it pinging and adds a patched cloudbr9 that reaches the router; new retires cloudbr1', async () => {
    const old = await run(step('old', false));
    expect(old).toMatchObject({ status: 'applied', target: 'el-network-scripts-ovs' });
    expect(await restarts()).toEqual([]);
    await sh(
      [
        'ip netns add vm0',
        'ip link add vnet0 type veth peer name vmeth0',
        'ip link set vmeth0 netns vm0',
        'ovs-vsctl add-port cloudbr1 vnet0',
        'ip link set vnet0 up',
        'ip netns exec vm0 ip addr add 10.255.1.50/24 dev vmeth0',
        'ip netns exec vm0 ip link set vmeth0 up',
        'ip netns exec vm0 ethtool -K vmeth0 tx off >/dev/null 2>&1 || true',
        'n=0; until ip netns exec vm0 ping -c1 -W1 10.255.1.1 >/dev/null; do n=$((n+1)); [ $n -lt 10 ] || exit 1; done',
        '(ip netns exec vm0 ping -D -O -i 0.05 -W 1 -w 300 10.255.1.1 > /run/vm0-ping.log 2>&1 & echo $! > /run/vm0-ping.pid)',
      ].join(' && '),
    );

    // the new label alone, as the poller runs a host a rollout left behind: refused before any step, the VM keeps its path
    const cut = await run(step('new', true));
    expect({ status: cut.status, steps: cut.steps }).toEqual({ status: 'failed', steps: [] });
    expect(cut.reason).toMatch(/^VmPathCutError: live bridge cloudbr1 still carries vnet0 \(VM taps or the CloudStack agent's ports\) and this run would take away eth2, its only way to the network/);
    // the refusal still read the host: its diff says what the run would have written
    expect(cut.diff?.files.some((f) => f.change !== 'same')).toBe(true);
    expect(await sh('ovs-vsctl port-to-br eth2')).toBe('cloudbr1\n');
    expect(await restarts()).toEqual([]);
    expect(await pingsFrom('vm0')).toBe(true);

    const both = await run(step('both', true));
    expect(both).toMatchObject({ status: 'applied' });
    expect(both.steps?.at(-1)).toMatchObject({ name: 'agent-restart', exitCode: 0 });
    expect(await restarts()).toHaveLength(1);
    expect((await sh('ovs-vsctl port-to-br eth2; ovs-vsctl port-to-br vnet0; ovs-vsctl list-ports cloudbr9')).split('\n')).toEqual(['cloudbr1', 'cloudbr1', 'pt-cloudbr1', '']);
    expect(await sh('ovs-vsctl get interface pt-cloudbr9 type options:peer; ovs-vsctl get interface pt-cloudbr1 options:peer')).toBe('patch\npt-cloudbr1\npt-cloudbr9\n');
    expect(await pingsFrom('vm0')).toBe(true);
    await sh(
      [
        'ip netns add vm1',
        'ip link add vnet1 type veth peer name vmeth1',
        'ip link set vmeth1 netns vm1',
        'ovs-vsctl add-port cloudbr9 vnet1',
        'ip link set vnet1 up',
        'ip netns exec vm1 ip addr add 10.255.1.51/24 dev vmeth1',
        'ip netns exec vm1 ip link set vmeth1 up',
        'ip netns exec vm1 ethtool -K vmeth1 tx off >/dev/null 2>&1 || true',
        'n=0; until ip netns exec vm1 ping -c1 -W1 10.255.1.1 >/dev/null; do n=$((n+1)); [ $n -lt 10 ] || exit 1; done',
      ].join(' && '),
    );
    expect(await sh('grep -c "public.network.device=cloudbr1" /etc/cloudstack/agent/agent.properties')).toBe('1\n');

    // a re-delivered expand job: nothing to change, and the agent is not restarted a second time
    const again = await run(step('both', true), true);
    expect(again).toMatchObject({ status: 'no-op' });
    expect(again.steps?.at(-1)).toMatchObject({ name: 'agent-restart-already-done', exitCode: 0 });
    expect(await restarts()).toHaveLength(1);

    await sh('kill $(cat /run/vm0-ping.pid)');
    const log = await sh('cat /run/vm0-ping.log');
    const lost = (log.match(/no answer yet/g) ?? []).length;
    const replies = (log.match(/bytes from/g) ?? []).length;
    process.stdout.write(`lab relabel: VM on cloudbr1 across the expand run: ${replies} replies, ${lost} lost\n`);
    expect(replies).toBeGreaterThan(20);
    expect(lost).toBe(0);

    // the VM leaves the old bridge first, as a live migration to the new label would
    await sh('ovs-vsctl del-port cloudbr1 vnet0 && ovs-vsctl add-port cloudbr9 vnet0');
    const contract = await run(step('new', true));
    expect(contract).toMatchObject({ status: 'applied' });
    expect(await ok('ovs-vsctl br-exists cloudbr1')).toBe(false);
    expect(await ok('ovs-vsctl get interface pt-cloudbr9 type')).toBe(false);
    expect(await ok('ovs-vsctl get interface pt-cloudbr1 type')).toBe(false);
    expect(await sh('ovs-vsctl port-to-br eth2')).toBe('cloudbr9\n');
    expect(await pingsFrom('vm0')).toBe(true);
    expect(await sh('cat /etc/cloudstack/agent/agent.properties')).toBe(AGENT_PROPERTIES.replace('public.network.device=cloudbr1', 'public.network.device=cloudbr9'));
    expect(await ok('test -e /etc/sysconfig/network-scripts/ifcfg-cloudbr1 || test -e /etc/sysconfig/network-scripts/ifcfg-pt-cloudbr9')).toBe(false);
    expect(await restarts()).toHaveLength(2);
  }, 100_000);
});
