import type { BridgeBackend, BridgeIntent } from '../domain/host-network-intent';
import type { HostProfile, NetworkProfile } from '../profile/host-profile.schema';
import type { ViolationList } from '../validation/intent-violation';
import type { DeviceRegistry } from './device-registry';
import type { LabelGroup, NetworkLabels } from './traffic-labels.collector';

/** A label bridge that rides on a VLAN of an uplink (planned after all untagged bridges exist). */
export interface TaggedLabel {
  group: LabelGroup;
  uplink: string;
  vlan: number;
  mtu?: number;
  /** The profile field that sets (or would set) the MTU: DeviceRegistry.mtuFields. */
  mtuField: string;
  field: string;
  physicalNetworkId: string;
}

/** Inputs shared by the planning steps. */
export interface PlanContext {
  profile: HostProfile;
  /** `profiles.<name>` for error paths. */
  profilePath: string;
  backend: BridgeBackend;
  managementLabel?: string;
  storageVlan?: number;
  /** Bridge names defined by `extras` (they serve a label of the same name). */
  extraNames: Set<string>;
}

/** Whether a networks[] entry's match names this physical network (by name or id) or one of its labels. */
function entryMatches(entry: NetworkProfile, net: NetworkLabels): boolean {
  return entry.match.physicalNetwork !== undefined
    ? entry.match.physicalNetwork === net.network.name || entry.match.physicalNetwork === net.network.id
    : net.labels.some((l) => l.label === entry.match.label);
}

/**
 * The profile's networks[] entries that match no physical network of the zone, each with why: the likely
 * reason another network has no uplink (a name in another case, a label CloudStack no longer gives).
 */
function strayEntries(ctx: PlanContext, networks: NetworkLabels[], net: NetworkLabels): string[] {
  return ctx.profile.networks.flatMap((entry, i) => {
    if (networks.some((n) => entryMatches(entry, n))) return [];
    const at = `${ctx.profilePath}.networks[${i}]`;
    const { physicalNetwork, label } = entry.match;
    if (physicalNetwork === undefined) return [`${at} matches label ${JSON.stringify(label)}, which no physical network of this zone carries`];
    const sameButCase = physicalNetwork.toLowerCase() === net.network.name.toLowerCase();
    return [`${at} names physical network ${JSON.stringify(physicalNetwork)}, ${sameButCase ? `matched as CloudStack spells it: ${JSON.stringify(net.network.name)}` : 'which this zone does not have'}`];
  });
}

/** Finds the profile's networks[] entry for a physical network: by name or id, else by one of its labels. */
function findNetworkEntry(ctx: PlanContext, networks: NetworkLabels[], net: NetworkLabels, errors: ViolationList): number | null {
  const labels = new Set(net.labels.map((l) => l.label));
  const hits = ctx.profile.networks.map((entry, i) => ({ entry, i })).filter(({ entry }) => entryMatches(entry, net));
  if (hits.length === 1) return hits[0].i;
  const field = `topology.physicalNetworks[${net.index}]`;
  if (hits.length === 0) {
    const strays = strayEntries(ctx, networks, net);
    errors.add(
      field,
      net.network.name,
      `(labels ${[...labels].join(', ')}) has no uplink in ${ctx.profilePath}${strays.length > 0 ? ` (${strays.join('; ')})` : ''}`,
      strays.length > 0
        ? `point the entry meant for it at match: { physicalNetwork: ${JSON.stringify(net.network.name)} }, which a relabel does not change`
        : `add networks: - match: { physicalNetwork: ${JSON.stringify(net.network.name)} } with nic: or bond: to ${ctx.profilePath}`,
    );
  } else {
    errors.add(field, net.network.name, `is matched by ${hits.map((h) => `${ctx.profilePath}.networks[${h.i}]`).join(' and ')}`, 'keep one networks[] entry per physical network');
  }
  return null;
}

/** Where a networks[] entry's MTU is set: its own `mtu`, else the profile's, else its own (to add). */
export function entryMtuField(ctx: PlanContext, entry: NetworkProfile, path: string): string {
  return entry.mtu === undefined && ctx.profile.mtu !== undefined ? `${ctx.profilePath}.mtu` : `${path}.mtu`;
}

/** Creates the NIC or bond named by a networks[] entry (once, even when two networks share it); returns its name. */
function addUplink(ctx: PlanContext, entry: NetworkProfile, path: string, devices: DeviceRegistry): string {
  const mtu = entry.mtu ?? ctx.profile.mtu;
  const mtuField = entryMtuField(ctx, entry, path);
  if (entry.nic !== undefined) {
    if (!devices.nics.has(entry.nic) && devices.claim(entry.nic, `${path}.nic`)) {
      devices.nics.set(entry.nic, { name: entry.nic, mtu });
      devices.mtuFields.set(entry.nic, mtuField);
    }
    return entry.nic;
  }
  const bond = entry.bond!;
  if (devices.bonds.has(bond.name)) return bond.name;
  if (!devices.claim(bond.name, `${path}.bond.name`)) return bond.name;
  devices.bonds.set(bond.name, {
    name: bond.name,
    members: [...bond.members],
    mode: bond.mode,
    miimon: bond.miimon,
    lacpRate: bond.lacpRate,
    xmitHashPolicy: bond.xmitHashPolicy,
    lacp: bond.lacp,
    mtu,
  });
  devices.mtuFields.set(bond.name, mtuField);
  bond.members.forEach((member, m) => {
    if (!devices.claim(member, `${path}.bond.members[${m}]`)) return;
    devices.nics.set(member, { name: member, bond: bond.name, mtu });
    devices.mtuFields.set(member, mtuField);
  });
  return bond.name;
}

/** The VLAN a label rides on per the entry (labelVlans or managementVlan), reporting contradictions. */
function labelVlan(ctx: PlanContext, entry: NetworkProfile, path: string, group: LabelGroup, errors: ViolationList): number | undefined {
  const mapped = entry.labelVlans?.[group.label];
  const management = group.label === ctx.managementLabel ? entry.managementVlan : undefined;
  if (mapped !== undefined && management !== undefined && mapped !== management) {
    errors.add(`${path}.managementVlan`, management, `contradicts labelVlans.${group.label}: ${mapped}`, 'set the management VLAN in one place');
  }
  // Whether a Storage label may ride on another VLAN than the storage range depends on the agent (storage-agent.check.ts).
  return mapped ?? management;
}

/**
 * Plans uplinks and untagged label bridges for every physical network; returns the labels that ride
 * on VLANs so they can be added once every untagged (OVS parent) bridge exists.
 */
export function planUplinks(ctx: PlanContext, networks: NetworkLabels[], devices: DeviceRegistry, errors: ViolationList): TaggedLabel[] {
  const tagged: TaggedLabel[] = [];
  const untagged = new Map<string, Array<{ label: string; path: string }>>();
  for (const net of networks) {
    const index = findNetworkEntry(ctx, networks, net, errors);
    if (index === null) continue;
    const entry = ctx.profile.networks[index];
    const path = `${ctx.profilePath}.networks[${index}]`;
    const uplink = addUplink(ctx, entry, path, devices);
    const carried = devices.uplinkNetworks.get(uplink) ?? new Set<string>();
    devices.uplinkNetworks.set(uplink, carried.add(net.network.id));
    const labels = new Set(net.labels.map((l) => l.label));
    for (const key of Object.keys(entry.labelVlans ?? {})) {
      if (!labels.has(key)) errors.add(`${path}.labelVlans.${key}`, key, `is not a label of physical network ${JSON.stringify(net.network.name)}`, `use one of ${[...labels].join(', ')}`);
    }
    if (entry.managementVlan !== undefined && (ctx.managementLabel === undefined || !labels.has(ctx.managementLabel))) {
      errors.add(`${path}.managementVlan`, entry.managementVlan, `is set but Management traffic is not on physical network ${JSON.stringify(net.network.name)}`, 'move managementVlan to the networks[] entry of the Management network');
    }
    // The Management label claims the untagged port first, so a clash reports the other label.
    const ordered = [...net.labels].sort((a, b) => Number(b.label === ctx.managementLabel) - Number(a.label === ctx.managementLabel));
    for (const group of ordered) {
      if (ctx.extraNames.has(group.label)) continue;
      const vlan = labelVlan(ctx, entry, path, group, errors);
      const mtu = entry.mtu ?? ctx.profile.mtu;
      const mtuField = entryMtuField(ctx, entry, path);
      if (vlan !== undefined) {
        tagged.push({ group, uplink, vlan, mtu, mtuField, field: `${path}.labelVlans.${group.label}`, physicalNetworkId: net.network.id });
        continue;
      }
      const riders = untagged.get(uplink) ?? [];
      riders.push({ label: group.label, path });
      untagged.set(uplink, riders);
      if (riders.length > 1) continue;
      if (addLabelBridge(ctx, devices, { name: group.label, role: 'traffic-label', trafficTypes: group.trafficTypes, uplink, mtu }, group.field)) devices.mtuFields.set(group.label, mtuField);
      const port = devices.bonds.get(uplink) ?? devices.nics.get(uplink);
      if (port) port.bridge = group.label;
    }
  }
  for (const [uplink, riders] of untagged) {
    if (riders.length < 2) continue;
    errors.add(
      `${riders[1].path}.labelVlans`,
      riders.map((r) => r.label),
      `would all ride untagged on uplink ${uplink}, but a port can serve one bridge`,
      `map all but one of them to a VLAN (${riders[1].path}.labelVlans.<label>: <vlan id>, or managementVlan), or give them separate uplinks`,
    );
  }
  return tagged;
}

/** Adds a bridge with the profile's STP/forward-delay settings. */
export function addLabelBridge(
  ctx: PlanContext,
  devices: DeviceRegistry,
  bridge: Omit<BridgeIntent, 'stp' | 'forwardDelay'>,
  field: string,
): BridgeIntent | null {
  if (!(bridge.role === 'traffic-label' ? devices.claimLabelBridge(bridge.name, field, bridge.trafficTypes) : devices.claim(bridge.name, field))) return null;
  const full: BridgeIntent = { ...bridge, stp: ctx.profile.bridge.stp, forwardDelay: ctx.profile.bridge.forwardDelay };
  devices.bridges.set(bridge.name, full);
  return full;
}
