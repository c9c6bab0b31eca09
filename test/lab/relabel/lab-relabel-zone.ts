import type { ZoneNetworkTopology } from '@hostnet/cloudstack';
import { profileSetFromObject, type ProfileSet } from '@hostnet/intent';

/**
 * The zone CloudStack would describe for one lab host (addresses of test/lab's layout): physnet1
 * Management + Guest on cloudbr0 (bond0 = eth0+eth1, lab wire labbr0), physnet2 Public on cloudbr1
 * (eth2, lab wire labbr1 with the router 10.255.1.1). Networks are matched by name, not label, so
 * the profile holds on either side of a label flip.
 */
export function labRelabelTopology(host: { name: string; address: string }): ZoneNetworkTopology {
  const zoneId = 'lab-zone';
  const traffic = (id: string, pn: string, trafficType: 'Management' | 'Guest' | 'Public', label: string) => ({
    id,
    trafficType,
    physicalNetworkId: pn,
    kvmNetworkLabel: label,
    effectiveLabel: label,
    labelSource: 'cloudstack' as const,
  });
  return {
    zone: { id: zoneId, name: 'lab-zone', networkType: 'Advanced' },
    pods: [{ id: 'lab-pod', name: 'lab-pod', zoneId, gateway: '10.255.0.1', netmask: '255.255.255.0' }],
    clusters: [{ id: 'lab-cluster', name: 'lab-cluster', podId: 'lab-pod', zoneId, hypervisorType: 'KVM' }],
    hosts: [{ id: 'lab-host-1', name: host.name, ipAddress: host.address, zoneId, podId: 'lab-pod', clusterId: 'lab-cluster', state: 'Up', resourceState: 'Enabled', hypervisor: 'KVM' }],
    physicalNetworks: [
      { id: 'pn1', name: 'physnet1', zoneId, isolationMethods: ['VLAN'], vlanRanges: [], tags: [], trafficTypes: [traffic('tt1', 'pn1', 'Management', 'cloudbr0'), traffic('tt2', 'pn1', 'Guest', 'cloudbr0')] },
      { id: 'pn2', name: 'physnet2', zoneId, isolationMethods: ['VLAN'], vlanRanges: [], tags: [], trafficTypes: [traffic('tt3', 'pn2', 'Public', 'cloudbr1')] },
    ],
    storageRanges: [],
    warnings: [],
  } as unknown as ZoneNetworkTopology;
}

/** The operator's profiles file for this zone (matched by physical network name, as a relabel needs). */
export const LAB_RELABEL_PROFILES = {
  version: 1,
  profiles: {
    ovs: {
      backend: 'ovs',
      networks: [
        { match: { physicalNetwork: 'physnet1' }, bond: { name: 'bond0', members: ['eth0', 'eth1'], mode: 'active-backup', miimon: 100 } },
        { match: { physicalNetwork: 'physnet2' }, nic: 'eth2' },
      ],
    },
  },
  selectors: [{ profile: 'ovs' }],
};

export function labRelabelProfiles(): ProfileSet {
  return profileSetFromObject(LAB_RELABEL_PROFILES, 'lab-relabel-profiles');
}
