import { stringify } from 'yaml';
import { Lab } from '../lab';
import { labStorageAddress } from './lab-profiles';
import { runLabPipeline } from './lab-run.client';
import type { LabHostReport, LabRunReport } from './lab-run.types';

/**
 * A failed run puts back OVS port membership that only conf.db held (the live-host trial's probe 4, host 1): Ubuntu
 * 22.04 ifupdown with OVS, cloudbr0 and cloudbr1 made by hand with ovs-vsctl (eth0 and eth2 added with add-port, no
 * file naming them), cloudbr0's address in a plain static stanza, VM taps on both. The run's ifdown eth0 (the OVS
 * hook's del-port) takes eth0 off cloudbr0, then its ifup cloudbr0 fails (a one-shot if-pre-up.d fault): the
 * restore must put eth0 back on cloudbr0 (the host was unreachable for good) and journal `restored` only then.
 * HOSTNET_LAB_PREFIX / HOSTNET_LAB_STATE run it beside another lab of the same spec.
 */
const PREFIX = process.env.HOSTNET_LAB_PREFIX ?? 'hnom';
const stateDir = process.env.HOSTNET_LAB_STATE ?? `/run/hostnet-lab-${PREFIX}-ovs-membership-${process.pid}`;
const HOST = `${PREFIX}h01`;

/** A VM's tap: a veth whose host end vnetN is a port of the bridge, the other end in its own namespace. */
const tap = (i: number, bridge: string) =>
  `ip netns add vm${i} && ip link add vnet${i} type veth peer name vmeth${i} && ip link set vmeth${i} netns vm${i} && ` +
  `ovs-vsctl add-port ${bridge} vnet${i} -- set interface vnet${i} external_ids:iface-id=vm${i} && ip link set vnet${i} up`;

const HAND_MADE = [
  "sed -i '/^auto eth0/,$d' /etc/network/interfaces",
  'printf "auto eth0\\niface eth0 inet manual\\n\\nauto cloudbr0\\niface cloudbr0 inet static\\n    address 10.255.0.11/24\\n    gateway 10.255.0.1\\n" >> /etc/network/interfaces',
  'ip addr flush dev eth0 && ovs-vsctl add-br cloudbr0 -- set bridge cloudbr0 datapath_type=netdev -- add-port cloudbr0 eth0',
  'ifup cloudbr0',
  'ovs-vsctl add-br cloudbr1 -- set bridge cloudbr1 datapath_type=netdev -- add-port cloudbr1 eth2 && ip link set cloudbr1 up',
  tap(0, 'cloudbr0'),
  tap(1, 'cloudbr1'),
].join(' && ');

const FAULT =
  `printf '%s\\n' '#!/bin/sh' '[ "$IFACE" = cloudbr0 ] || exit 0' 'rm -f "$0"' 'echo "lab fault: ifup $IFACE" >&2' 'exit 1' ` +
  '> /etc/network/if-pre-up.d/00-lab-fault && chmod 755 /etc/network/if-pre-up.d/00-lab-fault';

const PORTS = 'for b in $(ovs-vsctl list-br | sort); do echo "$b: $(ovs-vsctl list-ports $b | sort | tr "\\n" " ")"; done';

function profilesYaml(): string {
  return stringify({
    version: 1,
    profiles: { ovs: { backend: 'ovs', networks: [{ match: { label: 'cloudbr0' }, nic: 'eth0' }, { match: { label: 'cloudbr1' }, nic: 'eth2' }] } },
    selectors: [{ profile: 'ovs' }],
    hosts: { [HOST]: { profile: 'ovs', storageAddress: labStorageAddress(HOST) } },
  });
}

describe('lab: a failed run puts back the OVS ports only conf.db held (hand-made ifupdown + OVS host)', () => {
  let lab: Lab;
  let report: LabRunReport;
  let before: string;
  let after: string;
  let journal: string;
  const host = (): LabHostReport => report.hosts.find((h) => h.name === HOST)!;
  const sh = async (command: string): Promise<string> => {
    const r = await lab.hostExec(HOST, ['sh', '-c', command], { timeoutMs: 120_000 });
    if (r.code !== 0) throw new Error(`${command.slice(0, 200)} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };

  beforeAll(async () => {
    lab = await Lab.up({ hosts: 1, personas: ['ubuntu2204-ifupdown'], ovs: ['ovs'], stateDir, prefix: PREFIX });
    await sh(HAND_MADE);
    before = await sh(PORTS);
    await sh(FAULT);
    report = await runLabPipeline(lab, { profilesYaml: profilesYaml(), rollbackSeconds: 30, timeoutMs: 180_000 });
    await sh('rm -f /etc/network/if-pre-up.d/00-lab-fault');
    after = await sh(PORTS);
    journal = await sh('cat "$(ls -td /var/lib/hostnet/backups/*/ | head -1)journal"');
  }, 600_000);

  afterAll(async () => {
    await lab?.down();
  }, 60_000);

  it('the hand-made bridges hold their NICs and taps', () => {
    expect(before).toBe('cloudbr0: eth0 vnet0 \ncloudbr1: eth2 vnet1 \n');
  });

  it('the run took eth0 off cloudbr0 (ifdown eth0), failed at ifup cloudbr0 and was restored, never enabled', () => {
    expect(host().outcome!.steps.map((s) => [s.name, s.exitCode])).toEqual(expect.arrayContaining([['activate-ifup-cloudbr0', 1]]));
    expect(host().phase).not.toBe('enabled');
    expect(report.cloudstack.updateHost.filter((c) => c.id === HOST)).toEqual([]);
  });

  it('every port is back on its bridge, and the on-host journal says restored', () => {
    expect(after).toBe(before);
    expect(journal).toMatch(/ restored-port cloudbr0 eth0\n/);
    expect(journal).toMatch(/ restored\n$/);
  });
});
