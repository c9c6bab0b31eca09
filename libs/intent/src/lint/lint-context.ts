import type { KvmHost, TrafficTypeName, ZoneNetworkTopology } from '@hostnet/cloudstack';
import { tryBuildHostIntent } from '../builder/host-intent.builder';
import { compareNatural } from '../builder/natural-order';
import type { BridgeIntent, HostNetworkIntent } from '../domain/host-network-intent';
import type { ProfileSet } from '../profile/host-profile.schema';
import type { IntentViolation } from '../validation/intent-violation';
import type { LintLocation, ZoneLintInput } from './zone-lint.types';

/** A host with the intent hostnet would give it. */
export interface BuiltHost {
  host: KvmHost;
  intent: HostNetworkIntent;
}

/** What every check reads: the input, each host's intent (built once) or why it could not be built. */
export interface LintContext {
  topology: ZoneNetworkTopology;
  profileSet: ProfileSet;
  publicVlans?: readonly number[];
  built: BuiltHost[];
  unbuilt: Array<{ host: KvmHost; violations: IntentViolation[] }>;
}

/** Builds every KVM host's intent once, in natural host-name order. */
export function lintContext(input: ZoneLintInput): LintContext {
  const built: BuiltHost[] = [];
  const unbuilt: LintContext['unbuilt'] = [];
  const hosts = [...input.topology.hosts].sort((a, b) => compareNatural(a.name, b.name));
  for (const host of hosts) {
    const result = tryBuildHostIntent({ topology: input.topology, hostId: host.id, profileSet: input.profileSet });
    if (result.ok) built.push({ host, intent: result.intent });
    else unbuilt.push({ host, violations: result.violations });
  }
  return { topology: input.topology, profileSet: input.profileSet, publicVlans: input.publicVlans, built, unbuilt };
}

/** The zone, plus the pod / cluster names of an id when the topology has them. */
export function locate(topology: ZoneNetworkTopology, at: { podId?: string; clusterId?: string; hosts?: KvmHost[]; physicalNetworkId?: string }): LintLocation {
  const where: LintLocation = { zone: topology.zone.name };
  if (at.podId !== undefined) where.pod = topology.pods.find((p) => p.id === at.podId)?.name ?? at.podId;
  if (at.clusterId !== undefined) where.cluster = topology.clusters.find((c) => c.id === at.clusterId)?.name ?? at.clusterId;
  if (at.hosts !== undefined && at.hosts.length > 0) where.host = hostList(at.hosts);
  if (at.physicalNetworkId !== undefined) where.physicalNetwork = topology.physicalNetworks.find((n) => n.id === at.physicalNetworkId)?.name ?? at.physicalNetworkId;
  return where;
}

/** The pod every one of `hosts` is in, when they share one. */
export function podOfAll(hosts: readonly KvmHost[]): string | undefined {
  return new Set(hosts.map((h) => h.podId)).size === 1 ? hosts[0]?.podId : undefined;
}

/** `kvm1, kvm2, ... (+n more)`: host names for messages, at most five. */
export function hostList(hosts: readonly KvmHost[]): string {
  const names = hosts.map((h) => h.name);
  return names.length > 5 ? `${names.slice(0, 5).join(', ')} (+${names.length - 5} more)` : names.join(', ');
}

/** The physical network whose traffic type `trafficType` uses label `label`, if any. */
export function networkOfLabel(topology: ZoneNetworkTopology, label: string, trafficType: TrafficTypeName): string | undefined {
  return topology.physicalNetworks.find((n) => n.trafficTypes.some((t) => t.trafficType === trafficType && t.effectiveLabel === label))?.id;
}

/** The VLAN a bridge's traffic leaves on: a fake bridge's tag, its VLAN interface's id, or null (untagged). */
export function bridgeVlan(intent: HostNetworkIntent, bridge: BridgeIntent): number | null {
  if (bridge.vlanId !== undefined) return bridge.vlanId;
  return intent.vlans.find((v) => v.name === bridge.uplink)?.vlanId ?? null;
}

/** Groups items by a string key, keeping first-seen order. */
export function groupBy<T>(items: Iterable<T>, key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
