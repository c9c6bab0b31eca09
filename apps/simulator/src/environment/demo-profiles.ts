import { stringify } from 'yaml';
import type { KvmHostPersona } from '../kvm-host';

/** Which bridge backend each persona gets in the simulated zone: every target renderer takes part. */
export const PERSONA_BACKEND: Record<KvmHostPersona, 'linux' | 'ovs'> = {
  centos7: 'ovs',
  rocky9: 'linux',
  ubuntu2204: 'linux',
  ubuntu2404: 'ovs',
  debian12: 'linux',
};

/**
 * Host profiles for the simulated zone, shaped like the reference: bond0 (eth0+eth1) carries
 * cloudbr0 (Management, Guest), bond1 (eth2+eth3) carries cloudbr1 (Public), and the storage VLAN
 * bridge cloudbr100 (Storage's label) holds each host's storage address (outside CloudStack's storage range).
 */
export function demoProfilesYaml(hosts: { name: string; persona: KvmHostPersona; storageAddress: string }[]): string {
  const profile = (backend: 'linux' | 'ovs') => ({
    backend,
    hostDomain: 'mylab.local',
    networks: [
      // Matched by physical network, not by label: the uplinks stay put when a relabel renames the bridges.
      { match: { physicalNetwork: 'physnet1' }, bond: { name: 'bond0', members: ['eth0', 'eth1'], mode: 'active-backup', miimon: 100 } },
      { match: { physicalNetwork: 'physnet2' }, bond: { name: 'bond1', members: ['eth2', 'eth3'], mode: 'active-backup', miimon: 100 } },
    ],
    extras: [{ name: 'cloudbr100', on: 'cloudbr0', address: 'storage' }],
  });
  return stringify({
    version: 1,
    profiles: { 'linux-bridge': profile('linux'), openvswitch: profile('ovs') },
    selectors: [{ profile: 'linux-bridge' }],
    hosts: Object.fromEntries(
      hosts.map((h) => [
        h.name,
        { profile: PERSONA_BACKEND[h.persona] === 'ovs' ? 'openvswitch' : 'linux-bridge', storageAddress: h.storageAddress },
      ]),
    ),
  });
}
