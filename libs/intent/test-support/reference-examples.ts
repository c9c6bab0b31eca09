import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ZoneNetworkTopology } from '@hostnet/cloudstack';
import { parseProfileSet } from '../src/profile/profile-set.parser';
import type { ProfileSet } from '../src/profile/host-profile.schema';

/** Directory of the example profiles and topologies. */
export const EXAMPLES_DIR = join(__dirname, '..', 'examples');

/** The reference configurations shipped as examples, with the topology each one runs against. */
export const REFERENCE_EXAMPLES = {
  'el7-linux-bridge': 'reference-topology.json',
  'ubuntu-linux-bridge': 'reference-topology.json',
  'el7-ovs': 'reference-topology.json',
  'ubuntu-ovs': 'mbplab-topology.json',
} as const;

/** Name of a reference example. */
export type ReferenceExampleName = keyof typeof REFERENCE_EXAMPLES;

/** Reads an example topology fixture. */
export function loadExampleTopology(file: string): ZoneNetworkTopology {
  return JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as ZoneNetworkTopology;
}

/** A reference example's profile set (through the normal parser), topology and host id. */
export function loadReferenceExample(name: ReferenceExampleName): { profileSet: ProfileSet; topology: ZoneNetworkTopology; hostId: string } {
  const file = join(EXAMPLES_DIR, `${name}.profile.yaml`);
  const profileSet = parseProfileSet(readFileSync(file, 'utf8'), file);
  const topology = loadExampleTopology(REFERENCE_EXAMPLES[name]);
  return { profileSet, topology, hostId: topology.hosts[0].id };
}
