import { Lab } from '../lab';
import type { LabPersona } from '../lab-inventory';
import { labProfilesYaml } from './lab-profiles';
import { runLabPipeline } from './lab-run.client';
import type { LabRunReport } from './lab-run.types';

/**
 * An Open vSwitch host whose agent made cloud0 a Linux bridge (the bridge module loaded, as "Networking KVM for
 * CloudStack" says it then does), a system VM's tap on it: the run configures the profile's OVS bridges and leaves
 * cloud0 as the agent made it, VM tap and address included; the next run is a no-op. Ubuntu 22.04 with classic
 * ifupdown and CentOS 7, as the live-host probe found them refused. HOSTNET_LAB_PREFIX / HOSTNET_LAB_STATE run it
 * beside another lab of the same spec.
 */
const PREFIX = process.env.HOSTNET_LAB_PREFIX ?? 'hnlc';
const stateDir = process.env.HOSTNET_LAB_STATE ?? `/run/hostnet-lab-agent-cloud0-${process.pid}`;
const PERSONAS: LabPersona[] = ['ubuntu2204-ifupdown', 'centos7'];
const HOSTS = [`${PREFIX}h01`, `${PREFIX}h02`];
const AGENT_CLOUD0 = [
  'ip link add cloud0 type bridge && ip addr add 169.254.0.1/16 dev cloud0 && ip link set cloud0 up',
  'ip netns add vm0 && ip link add vnet0 type veth peer name vmeth0 && ip link set vmeth0 netns vm0 && ip link set vnet0 master cloud0 && ip link set vnet0 up',
].join(' && ');
/** cloud0's kind (`bridge` is a Linux one), vnet0's master and cloud0's addresses. */
const CLOUD0 = "ip -o -d link show cloud0 | grep -o 'bridge forward_delay' | head -1; basename $(readlink /sys/class/net/vnet0/master); ip -4 -o addr show dev cloud0 | awk '{print $4}'";


describe("lab: an Open vSwitch run keeps the agent's Linux cloud0 and the system VM's tap on it", () => {
  let lab: Lab;
  const runs: LabRunReport[] = [];
  const cloud0: Record<string, string[]> = {};
  const sh = async (host: string, command: string): Promise<string> => {
    const r = await lab.hostExec(host, ['sh', '-c', command], { timeoutMs: 60_000 });
    if (r.code !== 0) throw new Error(`${command.slice(0, 120)} on ${host} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };

  beforeAll(async () => {
    lab = await Lab.up({ hosts: 2, personas: PERSONAS, ovs: ['ovs', 'ovs'], stateDir, prefix: PREFIX });
    for (const h of HOSTS) await sh(h, AGENT_CLOUD0);
    for (const h of HOSTS) cloud0[`before ${h}`] = [await sh(h, CLOUD0)];
    for (const _ of [1, 2]) {
      runs.push(await runLabPipeline(lab, { profilesYaml: labProfilesYaml(Object.fromEntries(HOSTS.map((h) => [h, 'ovs-nic']))), rollbackSeconds: 30, timeoutMs: 180_000 }));
      for (const h of HOSTS) (cloud0[`after ${h}`] ??= []).push(await sh(h, CLOUD0));
    }
  }, 600_000);

  afterAll(async () => {
    await lab?.down();
  }, 60_000);

  it.each(HOSTS)('%s: the agent made cloud0 a Linux bridge with 169.254.0.1/16 and a tap on it', (h) => {
    expect(cloud0[`before ${h}`]).toEqual(['bridge forward_delay\ncloud0\n169.254.0.1/16\n']);
  });

  it.each(HOSTS)('%s: the run is enabled, not refused, and cloud0 is as the agent made it', (h) => {
    expect(runs[0]!.hosts.find((r) => r.name === h)).toMatchObject({ phase: 'enabled' });
    expect(cloud0[`after ${h}`]![0]).toBe(cloud0[`before ${h}`]![0]);
  });

  it.each(HOSTS)('%s: the next run is a no-op', (h) => {
    const o = runs[1]!.hosts.find((r) => r.name === h)!.outcome!;
    expect([o.changedFiles, o.steps]).toEqual([[], []]);
    expect(cloud0[`after ${h}`]![1]).toBe(cloud0[`before ${h}`]![0]);
  });
});
