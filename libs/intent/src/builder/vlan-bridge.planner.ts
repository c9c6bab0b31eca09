import type { StorageNetworkRange, TrafficTypeName, VlanRange } from '@hostnet/cloudstack';
import type { BridgeIntent, Ipv4Address } from '../domain/host-network-intent';
import type { HostOverride } from '../profile/host-profile.schema';
import type { ViolationList } from '../validation/intent-violation';
import { interfaceNameProblem } from '../validation/interface-name.validator';
import { formatIpv4, hostAddressProblem, inSubnet, netmaskToPrefix, parseCidr, parseIpv4 } from '../validation/ipv4.validator';
import type { DeviceRegistry } from './device-registry';
import type { LabelGroup } from './traffic-labels.collector';
import { addLabelBridge, type PlanContext, type TaggedLabel } from './uplink.planner';

/** One bridge to put on a VLAN of an uplink: a tagged label or a profile extra. */
interface VlanBridgeRequest {
  name: string;
  role: BridgeIntent['role'];
  trafficTypes: TrafficTypeName[];
  uplink: string;
  vlan: number;
  mtu?: number;
  /** DeviceRegistry.mtuFields for the VLAN interface and the bridge. */
  mtuField: string;
  address?: Ipv4Address;
  field: string;
}

/** Context for VLAN bridges: guest VLAN ranges per physical network, the host's storage range and override. */
export interface VlanPlanContext extends PlanContext {
  /** Each Guest physical network's VLAN ranges by its id, with its name (what an operator knows it by). */
  guestRanges: Map<string, { name: string; ranges: VlanRange[] }>;
  storageRange?: { range: StorageNetworkRange; field: string };
  override: HostOverride;
  hostsPath: string;
}

/** Puts a bridge on `<uplink>.<vlan>` (linux) or as an OVS fake bridge on the uplink's untagged bridge. */
function addVlanBridge(ctx: VlanPlanContext, devices: DeviceRegistry, req: VlanBridgeRequest, used: Map<string, string>, errors: ViolationList): void {
  const key = `${req.uplink}/${req.vlan}`;
  const clash = used.get(key);
  if (clash !== undefined) {
    errors.add(req.field, req.vlan, `is already used on uplink ${req.uplink} by ${clash}`, 'use one bridge per VLAN on an uplink');
    return;
  }
  used.set(key, req.name);
  for (const networkId of devices.uplinkNetworks.get(req.uplink) ?? []) {
    const guest = ctx.guestRanges.get(networkId);
    const range = (guest?.ranges ?? []).find((r) => req.vlan >= r.start && req.vlan <= r.end);
    if (range) {
      errors.add(req.field, req.vlan, `lies in guest VLAN range ${range.start}-${range.end} of physical network ${JSON.stringify(guest?.name ?? networkId)} on uplink ${req.uplink}; the agent would create ${req.uplink}.${req.vlan} for a guest network`, 'use a VLAN outside the guest ranges or shrink the range in CloudStack');
    }
  }
  const base = { name: req.name, role: req.role, trafficTypes: req.trafficTypes, mtu: req.mtu, address: req.address };
  if (ctx.backend === 'ovs') {
    const parent = devices.untaggedBridgeOn(req.uplink);
    if (!parent) {
      errors.add(req.field, req.name, `needs an OVS parent bridge, but nothing rides untagged on ${req.uplink}`, 'leave one label of that uplink untagged (its bridge becomes the parent of the fake bridge)');
      return;
    }
    if (addLabelBridge(ctx, devices, { ...base, parent: parent.name, vlanId: req.vlan }, req.field)) devices.mtuFields.set(req.name, req.mtuField);
    return;
  }
  const vlanName = `${req.uplink}.${req.vlan}`;
  const problem = interfaceNameProblem(vlanName);
  if (problem !== null) {
    errors.addProblem(req.field, vlanName, `(VLAN interface for ${req.name}) ${problem.replace('; fix: ', '; fix: shorten the uplink name; ')}`);
    return;
  }
  if (!devices.claim(vlanName, req.field)) return;
  devices.vlans.set(vlanName, { name: vlanName, parent: req.uplink, vlanId: req.vlan, bridge: req.name, mtu: req.mtu });
  devices.vlanFields.set(vlanName, req.field);
  devices.mtuFields.set(vlanName, req.mtuField);
  if (addLabelBridge(ctx, devices, { ...base, uplink: vlanName }, req.field)) devices.mtuFields.set(req.name, req.mtuField);
}

/** The uplink device an extra's `on` names: a bridge's port or the uplink itself. */
function resolveOn(on: string, field: string, devices: DeviceRegistry, errors: ViolationList, taken?: { by: string; self: boolean; group: LabelGroup }): string | null {
  const bridge = devices.bridges.get(on);
  if (bridge) {
    if (bridge.uplink !== undefined && !devices.vlans.has(bridge.uplink)) return bridge.uplink;
    errors.add(field, on, 'is a bridge that itself rides on a VLAN', 'put the extra on an untagged bridge or directly on the bond/NIC');
    return null;
  }
  if (devices.bonds.has(on) || (devices.nics.has(on) && devices.nics.get(on)?.bond === undefined)) return on;
  const choices = [...devices.bridges.keys(), ...devices.bonds.keys()].join(', ');
  if (taken) {
    // An extra named like a label serves that label: the label gets no bridge of its own to ride on.
    const label = `label ${on}'s bridge (${taken.group.trafficTypes.join(', ')} traffic)`;
    const problem = taken.self
      ? `is this extra's own name, which collides with ${label}: the extra becomes that bridge, on a VLAN, and cannot ride on itself`
      : `is ${label}, which ${taken.by} (named ${on}) replaces with a VLAN bridge, so it carries no other extra`;
    errors.add(field, on, problem, `give ${taken.self ? 'this extra' : taken.by} a name that is not a CloudStack label, or put this extra on one of ${choices}`);
    return null;
  }
  errors.add(field, on, 'is not a bridge or uplink of this profile', `use one of ${choices}`);
  return null;
}

/** The address of an extra: the host's storage IP (netmask from the storage range) or a per-host override. */
function extraAddress(ctx: VlanPlanContext, name: string, mode: 'storage' | 'override' | undefined, field: string, errors: ViolationList): Ipv4Address | undefined {
  if (mode === undefined) return undefined;
  const overrideField = mode === 'storage' ? `${ctx.hostsPath}.storageAddress` : `${ctx.hostsPath}.addresses.${name}`;
  const text = mode === 'storage' ? ctx.override.storageAddress : ctx.override.addresses?.[name];
  if (text === undefined) {
    errors.add(overrideField, text, `is missing but ${field}.address is ${mode}`, `set ${overrideField} to this host's address for ${name}`);
    return undefined;
  }
  const cidr = parseCidr(text);
  if (!cidr) {
    errors.add(overrideField, text, 'is not an IPv4 address or CIDR', 'write e.g. 10.0.100.20/24');
    return undefined;
  }
  let prefix = cidr.prefix;
  const storage = mode === 'storage' ? ctx.storageRange : undefined;
  if (storage) {
    const rangePrefix = netmaskToPrefix(storage.range.netmask);
    if (rangePrefix === null) {
      errors.add(`${storage.field}.netmask`, storage.range.netmask, 'is not a contiguous netmask', 'fix the storage IP range in CloudStack');
      return undefined;
    }
    if (prefix !== null && prefix !== rangePrefix) {
      errors.add(overrideField, text, `has prefix /${prefix} but the storage range's netmask is /${rangePrefix}`, `drop the prefix or use /${rangePrefix}`);
    }
    prefix = rangePrefix;
    const ip = parseIpv4(cidr.address) as number;
    const start = parseIpv4(storage.range.startIp);
    const end = parseIpv4(storage.range.endIp);
    if (start !== null && !inSubnet(ip, start, prefix)) {
      errors.add(overrideField, text, `is outside the storage subnet ${formatIpv4(start - (start % 2 ** (32 - prefix)))}/${prefix}`, 'use an address in the storage range\'s subnet');
    } else if (start !== null && end !== null && ip >= start && ip <= end) {
      errors.add(overrideField, text, `lies inside CloudStack's storage IP range ${storage.range.startIp}-${storage.range.endIp}, which CloudStack hands to system VMs`, 'pick an address in the subnet but outside that range');
    } else if (storage.range.gateway && parseIpv4(storage.range.gateway) === ip) {
      errors.add(overrideField, text, `is the storage range's gateway`, 'pick an address in the subnet that no other device has');
    }
  }
  if (prefix === null) {
    errors.add(overrideField, text, 'has no prefix and the zone has no storage range for this pod', 'write it as address/prefix, e.g. 10.0.100.20/24');
    return undefined;
  }
  if (errors.addProblem(overrideField, text, hostAddressProblem(cidr.address, prefix))) return { address: cidr.address, prefix };
  return undefined;
}

/** Adds tagged label bridges, then the profile's extras (which may serve a label of the same name). */
export function planVlanBridges(
  ctx: VlanPlanContext,
  tagged: TaggedLabel[],
  extraLabels: Map<string, { group: LabelGroup; physicalNetworkId: string }>,
  devices: DeviceRegistry,
  errors: ViolationList,
): void {
  const used = new Map<string, string>();
  for (const t of tagged) {
    addVlanBridge(ctx, devices, { name: t.group.label, role: 'traffic-label', trafficTypes: t.group.trafficTypes, uplink: t.uplink, vlan: t.vlan, mtu: t.mtu, mtuField: t.mtuField, field: t.field }, used, errors);
  }
  (ctx.profile.extras ?? []).forEach((extra, e) => {
    const field = `${ctx.profilePath}.extras[${e}]`;
    const takenBy = extraLabels.has(extra.on) ? (ctx.profile.extras ?? []).findIndex((x) => x.name === extra.on) : -1;
    const taken = takenBy >= 0 ? { by: `${ctx.profilePath}.extras[${takenBy}]`, self: takenBy === e, group: extraLabels.get(extra.on)!.group } : undefined;
    const uplink = resolveOn(extra.on, `${field}.on`, devices, errors, taken);
    const storageVlan = extra.address === 'storage' ? ctx.storageVlan : undefined;
    if (extra.vlan !== undefined && storageVlan !== undefined && extra.vlan !== storageVlan) {
      errors.add(`${field}.vlan`, extra.vlan, `differs from the storage range's VLAN ${storageVlan}`, `use vlan: ${storageVlan} or leave vlan out`);
    }
    const vlan = extra.vlan ?? storageVlan;
    if (vlan === undefined) {
      errors.add(`${field}.vlan`, vlan, 'is missing and no storage range VLAN applies', 'set vlan: <1-4094>');
    }
    const served = extraLabels.get(extra.name);
    if (served && uplink !== null && !(devices.uplinkNetworks.get(uplink)?.has(served.physicalNetworkId) ?? false)) {
      errors.add(`${field}.on`, extra.on, `carries another physical network than label ${extra.name}'s (${served.physicalNetworkId})`, 'put the extra on the uplink of the physical network CloudStack assigns this label to');
    }
    const address = extraAddress(ctx, extra.name, extra.address, field, errors);
    if (uplink === null || vlan === undefined) return;
    const uplinkMtu = devices.bonds.get(uplink)?.mtu ?? devices.nics.get(uplink)?.mtu;
    addVlanBridge(ctx, devices, {
      name: extra.name,
      role: served ? 'traffic-label' : 'extra',
      trafficTypes: served ? served.group.trafficTypes : [],
      uplink,
      vlan,
      mtu: extra.mtu ?? uplinkMtu,
      // an MTU it inherits is set on its uplink's entry
      mtuField: extra.mtu === undefined && uplinkMtu !== undefined ? (devices.mtuFields.get(uplink) ?? `${field}.mtu`) : `${field}.mtu`,
      address,
      field: `${field}.vlan`,
    }, used, errors);
  });
}
