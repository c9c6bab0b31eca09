import { profileSetFromObject } from '@hostnet/intent';
import { buildZone } from '../../relabel/test-support/zone-builder';
import { DerivedSpecMemo } from './derived-spec.memo';
import { HostSpecService } from './host-spec.service';

const PROFILES = profileSetFromObject(
  {
    version: 1,
    profiles: {
      lb: {
        backend: 'linux',
        networks: [
          { match: { physicalNetwork: 'Physical Network 1' }, bond: { name: 'bond0', members: ['eth0', 'eth1'], mode: 'active-backup' } },
          { match: { physicalNetwork: 'Physical Network 2' }, nic: 'eth2' },
        ],
        extras: [{ name: 'cloudbr100', on: 'cloudbr0', vlan: 100 }],
      },
    },
    selectors: [{ profile: 'lb' }],
  },
  'profiles.yaml',
);

function zone() {
  const topology = buildZone({ clusterSizes: [3] });
  for (const pod of topology.pods) pod.gateway = '10.1.0.1'; // inside the hosts' management subnet
  return topology;
}

describe('HostSpecService.specsIn: every host of one topology asked in one synchronous run', () => {
  afterEach(() => jest.restoreAllMocks());

  it('gives each host the spec specFor gives, serializing the rest of the zone once for the whole run', () => {
    const topology = zone();
    const expected = topology.hosts.map((h) => new HostSpecService(PROFILES).specFor(topology, h.id).specHash);
    const specs = new HostSpecService(PROFILES);
    const serialized = jest.spyOn(DerivedSpecMemo, 'zoneKey');
    const specOf = specs.specsIn(topology);
    expect(topology.hosts.map((h) => specOf(h.id).specHash)).toEqual(expected);
    expect(topology.hosts.map((h) => specOf(h.id).specHash)).toEqual(expected); // from the memo now
    expect(serialized).toHaveBeenCalledTimes(1);
    expect(() => specOf('no-such-host')).toThrow(/is not a host of zone/); // derived, and explained, as specFor does
  });

  it('sees the zone changed in place once the run is over: a later call serializes it anew', async () => {
    const topology = zone();
    const specs = new HostSpecService(PROFILES);
    const specOf = specs.specsIn(topology);
    const before = specOf(topology.hosts[0]!.id).specHash;
    await Promise.resolve();
    const traffic = topology.physicalNetworks[1]!.trafficTypes[0]!;
    Object.assign(traffic, { kvmNetworkLabel: 'cloudbr7', effectiveLabel: 'cloudbr7' });
    const after = specOf(topology.hosts[0]!.id).specHash;
    expect(after).not.toBe(before);
    expect(after).toBe(new HostSpecService(PROFILES).specFor(topology, topology.hosts[0]!.id).specHash);
  });
});
