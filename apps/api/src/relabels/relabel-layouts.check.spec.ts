import { HostSpecService } from '@hostnet/host-spec';
import { profileSetFromObject } from '@hostnet/intent';
import { planRelabel, type RelabelChangeInput } from '@hostnet/relabel';
import { buildZone } from '../../../../libs/relabel/test-support/zone-builder';
import { hostFactsFromIntents } from './relabel-host-facts';
import { assertRelabelDerivable, flippedTopology } from './relabel-layouts.check';

// cluster1: kvm1 (Open vSwitch), kvm2 (Linux bridge); cluster2: kvm3 (Linux bridge)
const ZONE = buildZone({ clusterSizes: [2, 1] });
for (const pod of ZONE.pods) pod.gateway = '10.1.0.1'; // inside the hosts' management subnet

/** physnet 1 on bond0 (cloudbr0; Storage on the VLAN bridge cloudbr100), physnet 2 on eth2 (cloudbr1), found by `publicMatch`. */
function specsWith(publicMatch: object): HostSpecService {
  const profile = (backend: 'linux' | 'ovs') => ({
    backend,
    networks: [
      { match: { physicalNetwork: 'Physical Network 1' }, bond: { name: 'bond0', members: ['eth0', 'eth1'], mode: 'active-backup' } },
      { match: publicMatch, nic: 'eth2' },
    ],
    extras: [{ name: 'cloudbr100', on: 'cloudbr0', vlan: 100 }],
  });
  return new HostSpecService(
    profileSetFromObject({ version: 1, profiles: { lb: profile('linux'), ovs: profile('ovs') }, selectors: [{ profile: 'lb' }], hosts: { kvm1: { profile: 'ovs' } } }, 'profiles.yaml'),
  );
}

function check(specs: HostSpecService, change: RelabelChangeInput): () => void {
  const plan = planRelabel({ topology: ZONE, changes: [change], hostFacts: hostFactsFromIntents(ZONE, specs) });
  return () => assertRelabelDerivable(plan, ZONE, specs);
}

const PUBLIC = { physicalNetwork: 'Physical Network 2', trafficType: 'Public', newLabel: 'cloudbr9' } as const;
const STORAGE = { physicalNetwork: 'Physical Network 1', trafficType: 'Storage', newLabel: 'cloudbr101' } as const;

describe('assertRelabelDerivable: a relabel no host could be configured after, or whose host steps cannot build, is refused at plan time', () => {
  it('refuses a change to the label a profile finds a physical network by, naming each host, the profile entry and the fix', () => {
    const refused = check(specsWith({ label: 'cloudbr1' }), PUBLIC);
    expect(refused).toThrow(
      /hosts\.kvm1: "profiles\.ovs\.networks\[1\]\.match\.label cloudbr1" finds the uplink of physical network Physical Network 2 by a label this rollout changes to cloudbr9, so after the flip no spec of this host can be derived \(.*has no uplink in profiles\.ovs.*\); fix: match it by physical network instead: match: \{ physicalNetwork: "Physical Network 2" \}, reload the profiles, then plan again/,
    );
    // one line for the cause the two Linux-bridge hosts share, naming both
    expect(refused).toThrow(/\n {2}- hosts\.kvm2, hosts\.kvm3: "profiles\.lb\.networks\[1\]\.match\.label cloudbr1" finds the uplink/);
  });

  it('takes the same change when the profiles find the physical network by name', () => {
    expect(check(specsWith({ physicalNetwork: 'Physical Network 2' }), PUBLIC)).not.toThrow();
  });

  it('refuses a relabel of an OVS fake bridge by host (its expand layout is not built), not on the first expand after the Linux hosts changed', () => {
    const refused = check(specsWith({ physicalNetwork: 'Physical Network 2' }), STORAGE);
    expect(refused).toThrow(/hosts\.kvm1: "both" is a layout of this rollout that cannot be built on this host \(.*"cloudbr100" is an OVS fake bridge \(VLAN 100 of cloudbr0\); its expand layout is not built yet.*\), so its host step would fail after other hosts were changed; fix: /);
    // and every host, because the profiles name the Storage bridge cloudbr100 themselves (extras): cloudbr101 would have none after the flip
    expect(refused).toThrow(/hosts\.kvm2, hosts\.kvm3: "profiles\.lb\.extras\[0\]\.name cloudbr100" names the bridge of a label this rollout changes to cloudbr101 by its old name, so after the flip no spec of this host can be derived \(.*\); fix: relabel only labels whose bridges come from networks\[\]/);
    expect(refused).not.toThrow(/hosts\.kvm[23]: "both"/);
  });

  it('flippedTopology: the changed traffic type, and an unset label that follows its bridge, on the new label', () => {
    const zone = structuredClone(ZONE);
    zone.physicalNetworks[0]!.trafficTypes[1] = { ...zone.physicalNetworks[0]!.trafficTypes[1]!, kvmNetworkLabel: null, labelSource: 'agent-default' };
    const plan = planRelabel({ topology: ZONE, changes: [{ physicalNetwork: 'Physical Network 1', trafficType: 'Management', newLabel: 'cloudbr9' }, { physicalNetwork: 'Physical Network 1', trafficType: 'Guest', newLabel: 'cloudbr9' }] });
    const flipped = flippedTopology(zone, plan.changes.slice(0, 1));
    expect(flipped.physicalNetworks[0]!.trafficTypes.map((t) => [t.trafficType, t.kvmNetworkLabel, t.effectiveLabel])).toEqual([
      ['Management', 'cloudbr9', 'cloudbr9'],
      ['Guest', null, 'cloudbr9'],
      ['Storage', 'cloudbr100', 'cloudbr100'],
    ]);
    expect(zone.physicalNetworks[0]!.trafficTypes[0]!.kvmNetworkLabel).toBe('cloudbr0'); // the zone itself is not touched
  });
});
