import type { ZoneNetworkTopology } from '@hostnet/cloudstack';
import type { HostOverride, ProfileSet } from '../src/profile/host-profile.schema';
import { loadReferenceExample, type ReferenceExampleName } from './reference-examples';

/** A fresh, mutable copy of a reference example's inputs. */
export function exampleInputs(name: ReferenceExampleName): { topology: ZoneNetworkTopology; profileSet: ProfileSet; hostId: string; overrides?: HostOverride } {
  const { topology, profileSet, hostId } = loadReferenceExample(name);
  return { topology: structuredClone(topology), profileSet: structuredClone(profileSet), hostId };
}
