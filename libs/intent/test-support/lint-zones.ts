import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ZoneNetworkTopology } from '@hostnet/cloudstack';
import { parseProfileSet } from '../src/profile/profile-set.parser';
import type { ProfileSet } from '../src/profile/host-profile.schema';

/** Crafted zones, one per zone-lint finding: lint-zones/<code>/topology.json + profile.yaml. */
export const LINT_ZONES_DIR = join(__dirname, 'lint-zones');

/** The finding each crafted zone is made for. */
export const LINT_ZONE_CASES = [
  'duplicate-management-address',
  'duplicate-host-address',
  'storage-range-too-small',
  'agent-bridge-name-too-long',
  'label-vlan-conflict',
  'label-differs-between-clusters',
  'link-local-misuse',
  'label-missing',
  'selector-matches-nothing',
] as const;

/** Paths of a crafted zone's files. */
export function lintZoneFiles(name: (typeof LINT_ZONE_CASES)[number]): { topology: string; profile: string } {
  return { topology: join(LINT_ZONES_DIR, name, 'topology.json'), profile: join(LINT_ZONES_DIR, name, 'profile.yaml') };
}

/** A crafted zone's topology and profile set (through the normal parser). */
export function loadLintZone(name: (typeof LINT_ZONE_CASES)[number]): { topology: ZoneNetworkTopology; profileSet: ProfileSet } {
  const files = lintZoneFiles(name);
  return {
    topology: JSON.parse(readFileSync(files.topology, 'utf8')) as ZoneNetworkTopology,
    profileSet: parseProfileSet(readFileSync(files.profile, 'utf8'), files.profile),
  };
}
