import type { Cluster, KvmHost, Pod, Zone } from '@hostnet/cloudstack';
import type { ViolationList } from '../validation/intent-violation';
import type { HostOverride, HostProfile, ProfileSelector, ProfileSet } from './host-profile.schema';

/** The profile chosen for a host, its merged per-host override, and why it was chosen. */
export interface ProfileSelection {
  profileName: string;
  profile: HostProfile;
  override: HostOverride;
  /** e.g. `hosts.kvmhost1.profile` or `selectors[2] (cluster)`. */
  reason: string;
}

/** Where the host sits; any of them may be missing from the topology. */
export interface HostPlacement {
  host: KvmHost;
  zone: Zone;
  pod?: Pod;
  cluster?: Cluster;
}

/** A selector's zone, pod or cluster names `entity` by CloudStack id or name (an absent one matches anything). */
export const matches = (wanted: string | undefined, entity: { id: string; name: string } | undefined): boolean =>
  wanted === undefined || (entity !== undefined && (entity.id === wanted || entity.name === wanted));

/** cluster > pod > zone > default; among equals, a selector naming more levels is more specific. */
function specificity(s: ProfileSelector): number {
  return (s.cluster ? 4 : 0) + (s.pod ? 2 : 0) + (s.zone ? 1 : 0);
}

/** The per-host override from the file (by host id or name) with `extra` laid over it, field by field. */
export function hostOverrideFor(set: ProfileSet, host: KvmHost, extra: HostOverride | undefined, errors: ViolationList): HostOverride {
  const byId = set.hosts[host.id];
  const byName = host.name !== host.id ? set.hosts[host.name] : undefined;
  if (byId && byName) {
    errors.add(`hosts.${host.name}`, host.name, `and hosts.${host.id} both match host ${host.id}`, 'keep one entry per host (by name or by id)');
  }
  const base = byId ?? byName ?? {};
  if (!extra) return base;
  return {
    ...base,
    ...extra,
    addresses: base.addresses || extra.addresses ? { ...base.addresses, ...extra.addresses } : undefined,
    hwaddrs: base.hwaddrs || extra.hwaddrs ? { ...base.hwaddrs, ...extra.hwaddrs } : undefined,
  };
}

/** Picks the host's profile: override `profile` first, then the most specific matching selector. */
export function selectProfile(
  set: ProfileSet,
  placement: HostPlacement,
  override: HostOverride,
  errors: ViolationList,
): ProfileSelection | null {
  if (override.profile !== undefined) {
    const profile = set.profiles[override.profile];
    if (!profile) {
      errors.add('overrides.profile', override.profile, 'is not a profile in ' + set.source, `use one of ${Object.keys(set.profiles).join(', ')}`);
      return null;
    }
    return { profileName: override.profile, profile, override, reason: `hosts.${placement.host.name}.profile` };
  }
  const candidates = set.selectors
    .map((selector, index) => ({ selector, index }))
    .filter(({ selector }) =>
      matches(selector.zone, placement.zone) && matches(selector.pod, placement.pod) && matches(selector.cluster, placement.cluster),
    );
  if (candidates.length === 0) {
    errors.add(
      'selectors',
      placement.host.name,
      `selects no profile for this host (zone ${placement.zone.name}, pod ${placement.pod?.name ?? placement.host.podId}, cluster ${placement.cluster?.name ?? placement.host.clusterId})`,
      `add a selector for its zone, pod or cluster, a default selector ({ profile: NAME }), or hosts.${placement.host.name}.profile in ${set.source}`,
    );
    return null;
  }
  const best = Math.max(...candidates.map((c) => specificity(c.selector)));
  const top = candidates.filter((c) => specificity(c.selector) === best);
  if (top.length > 1) {
    errors.add(
      'selectors',
      top.map((c) => `selectors[${c.index}]`),
      `match host ${placement.host.name} equally specifically`,
      'make one selector more specific or remove one',
    );
    return null;
  }
  const { selector, index } = top[0];
  const level = selector.cluster ? 'cluster' : selector.pod ? 'pod' : selector.zone ? 'zone' : 'default';
  return { profileName: selector.profile, profile: set.profiles[selector.profile], override, reason: `selectors[${index}] (${level})` };
}
