import type { SimulatorTopology } from '../cloudstack';

/** Hosts per /24 block of a wide fleet: .10 to .249, clear of network, gateway and broadcast. */
const PER_BLOCK = 240;

export interface SimulatedHostSeed {
  name: string;
  ipAddress: string;
  /** Host-only storage address on the storage VLAN, outside CloudStack's storage range. */
  storageAddress: string;
}

/**
 * The default zone (the reference document's) with `count` KVM hosts added Disabled in Alert, as
 * CloudStack shows hosts whose bridges are missing, and `spare` hosts CloudStack does not know yet
 * (machines racked for add-host). Up to 80 hosts fit the reference's /24 networks;
 * larger fleets (the benchmark's 500) get a /16 pod so every host keeps a distinct address.
 */
export function seedZone(
  base: SimulatorTopology,
  count: number,
  spare = 0,
  clusters = 1,
): { topology: SimulatorTopology; hosts: SimulatedHostSeed[]; spares: SimulatedHostSeed[] } {
  const topology = structuredClone(base);
  const zone = topology.zones[0];
  const pod = zone?.pods[0];
  const cluster = pod?.clusters[0];
  if (!zone || !pod || !cluster) throw new Error('the base topology needs a zone with a pod and a cluster');
  const wide = count + spare > 80;
  if (wide) {
    pod.gateway = '192.168.0.1';
    pod.netmask = '255.255.0.0';
    delete pod.startIp;
    delete pod.endIp;
    // the pod's storage range must hold an address for every host (the zone lint refuses a smaller one)
    for (const range of zone.storageRanges) Object.assign(range, { netmask: '255.255.0.0', startIp: '10.0.200.1', endIp: '10.0.255.254' });
  }
  const all = Array.from({ length: count + spare }, (_, i) => ({
    name: `kvm${i + 1}`,
    ipAddress: wide ? `192.168.${1 + Math.floor(i / PER_BLOCK)}.${10 + (i % PER_BLOCK)}` : `192.168.100.${20 + i}`,
    storageAddress: wide ? `10.0.${1 + Math.floor(i / PER_BLOCK)}.${10 + (i % PER_BLOCK)}` : `10.0.100.${20 + i}`,
  }));
  const hosts = all.slice(0, count);
  if (!Number.isInteger(clusters) || clusters < 1 || clusters > Math.max(1, count)) {
    throw new Error(`clusters must be a whole number from 1 to the host count (${count}), got ${clusters}`);
  }
  const template = cluster.hosts[0]!;
  // Consecutive hosts share a cluster: kvm1..kvmK in cluster1, the next K in cluster2, and so on.
  pod.clusters = Array.from({ length: clusters }, (_, c) => ({
    ...structuredClone(cluster),
    ...(c === 0 ? {} : { name: `cluster${c + 1}`, id: undefined }),
    hosts: hosts
      .filter((_, i) => Math.floor((i * clusters) / Math.max(1, count)) === c)
      .map(({ name, ipAddress }) => ({ ...template, name, ipAddress, state: 'Alert' as const, resourceState: 'Disabled' as const })),
  }));
  for (const c of pod.clusters) delete c.hostTemplate;
  return { topology, hosts, spares: all.slice(count) };
}
