import type { ZoneNetworkTopology } from '@hostnet/cloudstack';
import type { ProfileSet } from '../profile/host-profile.schema';

/** What the zone lint reads: the zone as CloudStack shows it and the operator's profiles. */
export interface ZoneLintInput {
  topology: ZoneNetworkTopology;
  profileSet: ProfileSet;
  /** Public VLAN ids in use (listVlanIpRanges); without them `br<pif>-<vlan>` is checked against VLAN 4094, as a warning. */
  publicVlans?: readonly number[];
}

/** Every kind of finding; stable strings, part of `hostnet lint --json`. */
export type LintCode =
  | 'duplicate-management-address'
  | 'duplicate-host-address'
  | 'storage-range-too-small'
  | 'agent-bridge-name-too-long'
  | 'label-vlan-conflict'
  | 'label-differs-between-clusters'
  | 'link-local-misuse'
  | 'label-missing'
  | 'selector-matches-nothing'
  | 'hosts-entry-matches-nothing'
  | 'host-intent-invalid';

/** Where a finding sits, by CloudStack names (several hosts are listed comma-separated). */
export interface LintLocation {
  zone: string;
  pod?: string;
  cluster?: string;
  host?: string;
  physicalNetwork?: string;
}

/** One problem of the zone: `error` breaks hosts (and refuses their runs), `warning` is worth a look. */
export interface LintFinding {
  severity: 'error' | 'warning';
  code: LintCode;
  where: LintLocation;
  /** `<problem>; fix: <what to do>` */
  message: string;
  /** CloudStack ids of the hosts the finding concerns (a run of any of them is refused on an error). */
  hostIds: string[];
}
