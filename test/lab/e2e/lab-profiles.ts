import { stringify } from 'yaml';

/** Profiles the lab scenarios use; every host names one (storage address for the VLAN bridge). */
export type LabProfileName = 'ovs-bonded' | 'ovs-nic' | 'linux-nic' | 'linux-jumbo' | 'linux-bonded' | 'linux-jumbo-bonded' | 'ovs-swapped';

const bond = (name: string, members: string[]) => ({ name, members, mode: 'active-backup', miimon: 100 });

const PROFILES: Record<LabProfileName, unknown> = {
  // the reference layout: bond0 (eth0+eth1) under cloudbr0, bond1 (eth2+eth3) under cloudbr1, storage VLAN 100
  'ovs-bonded': {
    backend: 'ovs',
    networks: [
      { match: { label: 'cloudbr0' }, bond: bond('bond0', ['eth0', 'eth1']) },
      { match: { label: 'cloudbr1' }, bond: bond('bond1', ['eth2', 'eth3']) },
    ],
    extras: [{ name: 'cloudbr100', on: 'cloudbr0', vlan: 100, address: 'storage' }],
  },
  // Open vSwitch bridges straight over a NIC: the hand-made hosts' layout (an operator's ovs-vsctl add-br/add-port)
  'ovs-nic': {
    backend: 'ovs',
    networks: [
      { match: { label: 'cloudbr0' }, nic: 'eth0' },
      { match: { label: 'cloudbr1' }, nic: 'eth2' },
    ],
  },
  // what this kernel can run with Linux bridges: a bridge straight over a NIC
  'linux-nic': {
    backend: 'linux',
    networks: [
      { match: { label: 'cloudbr0' }, nic: 'eth0' },
      { match: { label: 'cloudbr1' }, nic: 'eth2' },
    ],
  },
  // the same with jumbo frames on the management NIC
  'linux-jumbo': {
    backend: 'linux',
    networks: [
      { match: { label: 'cloudbr0' }, nic: 'eth0', mtu: 9000 },
      { match: { label: 'cloudbr1' }, nic: 'eth2' },
    ],
  },
  // Linux bonds and a VLAN: rendered and validated, refused by this kernel (no bonding/8021q modules)
  'linux-bonded': {
    backend: 'linux',
    networks: [
      { match: { label: 'cloudbr0' }, bond: bond('bond0', ['eth0', 'eth1']) },
      { match: { label: 'cloudbr1' }, bond: bond('bond1', ['eth2', 'eth3']) },
    ],
    extras: [{ name: 'cloudbr100', on: 'cloudbr0', vlan: 100, address: 'storage' }],
  },
  // jumbo frames on the management NIC (this kernel takes them), then Linux bonds it refuses: the run
  // raises eth0's MTU before it fails, so its restore must lower it again
  'linux-jumbo-bonded': {
    backend: 'linux',
    networks: [
      { match: { label: 'cloudbr0' }, nic: 'eth0', mtu: 9000 },
      { match: { label: 'cloudbr1' }, bond: bond('bond1', ['eth2', 'eth3']) },
    ],
  },
  // cables swapped in the profile: the management bridge lands on eth2, wired to the public lab bridge
  'ovs-swapped': {
    backend: 'ovs',
    networks: [
      { match: { label: 'cloudbr0' }, nic: 'eth2' },
      { match: { label: 'cloudbr1' }, nic: 'eth0' },
    ],
  },
};

/** Storage address of lab host N (outside the topology's storage range 10.255.100.20-99). */
export function labStorageAddress(hostName: string): string {
  const index = Number(/(\d+)$/.exec(hostName)?.[1] ?? NaN);
  if (!Number.isInteger(index)) throw new Error(`lab host name ${hostName} has no index`);
  return `10.255.100.${110 + index}`;
}

/** A profiles file assigning each lab host its profile. */
export function labProfilesYaml(hosts: Record<string, LabProfileName>): string {
  const used = [...new Set(Object.values(hosts))];
  return stringify({
    version: 1,
    profiles: Object.fromEntries(used.map((name) => [name, PROFILES[name]])),
    selectors: [{ profile: used[0] }],
    hosts: Object.fromEntries(Object.entries(hosts).map(([name, profile]) => [name, { profile, storageAddress: labStorageAddress(name) }])),
  });
}
