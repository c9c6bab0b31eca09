import type { ZoneNetworkTopology } from '@hostnet/cloudstack';
import { buildHostIntent } from '../src/builder/host-intent.builder';
import type { BridgeBackend, HostNetworkIntent } from '../src/domain/host-network-intent';
import type { HostOverride, ProfileSet } from '../src/profile/host-profile.schema';
import { loadReferenceExample, type ReferenceExampleName } from './reference-examples';

/** A fresh, mutable copy of a reference example's inputs. */
export function exampleInputs(name: ReferenceExampleName): { topology: ZoneNetworkTopology; profileSet: ProfileSet; hostId: string; overrides?: HostOverride } {
  const { topology, profileSet, hostId } = loadReferenceExample(name);
  return { topology: structuredClone(topology), profileSet: structuredClone(profileSet), hostId };
}

/**
 * Jumbo frames as an operator writes them: the Ubuntu reference profile with `mtu: 9000` on the
 * management network, so bond0, its members, cloudbr0 and the storage VLAN (bond0.100 + cloudbr100,
 * or the fake cloudbr100 on OVS) run at 9000 while bond1 stays at 1500. Built by buildHostIntent, so
 * every value passed the profile and intent rules; `backend` re-plans it as `--backend` does.
 */
export function jumboIntent(backend: BridgeBackend): HostNetworkIntent {
  const input = exampleInputs('ubuntu-linux-bridge');
  const profile = input.profileSet.profiles['ubuntu-linux-bridge'];
  profile.networks[0] = { ...profile.networks[0], mtu: 9000 };
  return buildHostIntent({ ...input, backend });
}
