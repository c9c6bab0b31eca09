import { Lab } from '../lab';
import { labProfilesYaml } from './lab-profiles';
import { runLabPipeline } from './lab-run.client';
import type { LabHostReport, LabRunReport } from './lab-run.types';

/**
 * A failed run puts back OVS port membership that only conf.db held (the live-host trial's probes 4 and 2): bridges
 * made by hand with ovs-vsctl, their NICs added with add-port and named by no file, VM taps on them.
 * - h01, Ubuntu 22.04 ifupdown with OVS: cloudbr0 (eth0) and cloudbr1 (eth2) by hand, cloudbr0's address in a plain
 *   static stanza. The run's ifdown eth0 (the OVS hook's del-port) takes eth0 off cloudbr0, then its ifup cloudbr0
 *   fails (a one-shot if-pre-up.d fault): eth0 stayed on no bridge, the host unreachable for good.
 * - h02, CentOS 7 network-scripts with OVS: cloudbr0 in ifcfg OVS files, cloudbr1 (eth2) by hand; the run's ifup
 *   cloudbr1 fails (the stand-in's one-shot fault) after eth2 was taken off it: the VMs lost their uplink.
 * The restore must put every port back on its bridge and journal `restored` only then.
 * HOSTNET_LAB_PREFIX / HOSTNET_LAB_STATE run it beside another lab of the same spec.
 */
const PREFIX = process.env.HOSTNET_LAB_PREFIX ?? 'hnom';
const stateDir = process.env.HOSTNET_LAB_STATE ?? `/run/hostnet-lab-${PREFIX}-ovs-membership-${process.pid}`;
const HOSTS = [`${PREFIX}h01`, `${PREFIX}h02`];
const NS = '/etc/sysconfig/network-scripts';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const put = (path: string, text: string) => `echo ${b64(text)} | base64 -d > ${path}`;

/** A VM's tap: a veth whose host end vnetN is a port of the bridge, the other end in its own namespace. */
const tap = (i: number, bridge: string) =>
  `ip netns add vm${i} && ip link add vnet${i} type veth peer name vmeth${i} && ip link set vmeth${i} netns vm${i} && ` +
  `ovs-vsctl add-port ${bridge} vnet${i} -- set interface vnet${i} external_ids:iface-id=vm${i} && ip link set vnet${i} up`;

const PUBLIC_BY_HAND = 'ovs-vsctl add-br cloudbr1 -- set bridge cloudbr1 datapath_type=netdev -- add-port cloudbr1 eth2 && ip link set cloudbr1 up';

const HAND_MADE = [
  [
    "sed -i '/^auto eth0/,$d' /etc/network/interfaces",
    'printf "auto eth0\\niface eth0 inet manual\\n\\nauto cloudbr0\\niface cloudbr0 inet static\\n    address 10.255.0.11/24\\n    gateway 10.255.0.1\\n" >> /etc/network/interfaces',
    'ip addr flush dev eth0 && ovs-vsctl add-br cloudbr0 -- set bridge cloudbr0 datapath_type=netdev -- add-port cloudbr0 eth0',
    'ifup cloudbr0',
    PUBLIC_BY_HAND,
    tap(0, 'cloudbr0'),
    tap(1, 'cloudbr1'),
  ].join(' && '),
  [
    put(`${NS}/ifcfg-cloudbr0`, 'DEVICE=cloudbr0\nONBOOT=yes\nDEVICETYPE=ovs\nTYPE=OVSBridge\nBOOTPROTO=static\nIPADDR=10.255.0.12\nNETMASK=255.255.255.0\nGATEWAY=10.255.0.1\nHOTPLUG=no\n'),
    put(`${NS}/ifcfg-eth0`, 'DEVICE=eth0\nONBOOT=yes\nDEVICETYPE=ovs\nTYPE=OVSPort\nOVS_BRIDGE=cloudbr0\nBOOTPROTO=none\nHOTPLUG=no\n'),
    'service network restart',
    PUBLIC_BY_HAND,
    tap(0, 'cloudbr0'),
    tap(1, 'cloudbr1'),
  ].join(' && '),
];

const FAULTS = [
  `printf '%s\\n' '#!/bin/sh' '[ "$IFACE" = cloudbr0 ] || exit 0' 'rm -f "$0"' 'echo "lab fault: ifup $IFACE" >&2' 'exit 1' ` +
    '> /etc/network/if-pre-up.d/00-lab-fault && chmod 755 /etc/network/if-pre-up.d/00-lab-fault',
  'touch /run/lab/fail-ifup-cloudbr1',
];
const FAILED_STEP = ['activate-ifup-cloudbr0', 'activate-ifup-cloudbr1'];

const PORTS = 'for b in $(ovs-vsctl list-br | sort); do echo "$b: $(ovs-vsctl list-ports $b | sort | tr "\\n" " ")"; done';


describe('lab: a failed run puts back the OVS ports only conf.db held (hand-made ifupdown and network-scripts OVS hosts)', () => {
  let lab: Lab;
  let report: LabRunReport;
  const before: string[] = [];
  const after: string[] = [];
  const journals: string[] = [];
  const host = (i: number): LabHostReport => report.hosts.find((h) => h.name === HOSTS[i])!;
  const sh = async (i: number, command: string): Promise<string> => {
    const r = await lab.hostExec(HOSTS[i]!, ['sh', '-c', command], { timeoutMs: 120_000 });
    if (r.code !== 0) throw new Error(`${command.slice(0, 200)} on ${HOSTS[i]} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };

  beforeAll(async () => {
    lab = await Lab.up({ hosts: 2, personas: ['ubuntu2204-ifupdown', 'centos7'], ovs: ['ovs', 'ovs'], stateDir, prefix: PREFIX });
    for (const i of [0, 1]) {
      await sh(i, HAND_MADE[i]!);
      before[i] = await sh(i, PORTS);
      await sh(i, FAULTS[i]!);
    }
    report = await runLabPipeline(lab, { profilesYaml: labProfilesYaml(Object.fromEntries(HOSTS.map((h) => [h, 'ovs-nic']))), rollbackSeconds: 30, timeoutMs: 180_000 });
    await sh(0, 'rm -f /etc/network/if-pre-up.d/00-lab-fault');
    for (const i of [0, 1]) {
      after[i] = await sh(i, PORTS);
      journals[i] = await sh(i, 'cat "$(ls -td /var/lib/hostnet/backups/*/ | head -1)journal"');
    }
  }, 600_000);

  afterAll(async () => {
    await lab?.down();
  }, 60_000);

  it('the hand-made bridges hold their NICs and taps', () => {
    expect(before).toEqual(['cloudbr0: eth0 vnet0 \ncloudbr1: eth2 vnet1 \n', 'cloudbr0: eth0 vnet0 \ncloudbr1: eth2 vnet1 \n']);
  });

  it.each([0, 1])('host %i: the run failed at the faulted ifup and was restored, never enabled', (i) => {
    expect(host(i).outcome!.steps.map((s) => [s.name, s.exitCode])).toEqual(expect.arrayContaining([[FAILED_STEP[i], 1]]));
    expect(host(i).phase).not.toBe('enabled');
    expect(report.cloudstack.updateHost.filter((c) => c.id === HOSTS[i])).toEqual([]);
  });

  it.each([0, 1])('host %i: every port is back on its bridge, and the on-host journal says restored', (i) => {
    expect(after[i]).toBe(before[i]);
    expect(journals[i]).toMatch(/ restored\n$/);
  });

  it.each([
    [0, / restored-port cloudbr0 eth0\n/],
    [1, / restored-port cloudbr1 eth2\n/],
  ])('host %i: the NIC the run took off its bridge (ifdown) was put back by the restore', (i, line) => {
    expect(journals[i]).toMatch(line);
  });
});
