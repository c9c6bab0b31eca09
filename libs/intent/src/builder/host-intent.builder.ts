import type { StorageNetworkRange, VlanRange, ZoneNetworkTopology } from '@hostnet/cloudstack';
import type { BridgeBackend, BridgeIntent, DnsIntent, HostNetworkIntent } from '../domain/host-network-intent';
import type { HostOverride, HostProfile, ProfileSet } from '../profile/host-profile.schema';
import { hostOverrideFor, selectProfile } from '../profile/profile.selector';
import { type IntentViolation, IntentValidationError, showValue, ViolationList } from '../validation/intent-violation';
import { LINK_LOCAL_BRIDGE } from '../validation/interface-name.validator';
import { isValidIpv4, parseIpv4, inSubnet, netmaskToPrefix } from '../validation/ipv4.validator';
import { macAddressProblem, normalizeMac, vlanIdProblem } from '../validation/network-values.validator';
import { validateHostIntent } from '../validation/host-intent.validator';
import { DeviceRegistry } from './device-registry';
import { resolveHost } from './host-placement.resolver';
import { compareNatural, sortByName } from './natural-order';
import { collectTrafficLabels, type LabelGroup } from './traffic-labels.collector';
import { planUplinks } from './uplink.planner';
import { planVlanBridges } from './vlan-bridge.planner';
import { checkStorageAgentRule } from './storage-agent.check';
import { compactIntent } from './intent-compactor';

/** What buildHostIntent needs: the zone as CloudStack sees it, the host, the operator's profiles. */
export interface BuildHostIntentInput {
  topology: ZoneNetworkTopology;
  /** CloudStack host id (a unique host name is accepted too). */
  hostId: string;
  profileSet: ProfileSet;
  /** Laid over the file's hosts.<host> entry, field by field (maps merged). */
  overrides?: HostOverride;
  /**
   * Replaces the selected profile's backend (CLI `--backend`). Everything that depends on it
   * (VLAN interface vs fake bridge, cloud0, OVS-only bond keys, splinters) is planned and checked anew.
   */
  backend?: BridgeBackend;
}

/** Outcome of tryBuildHostIntent: the intent and which profile made it, or every violation found. */
export type BuildHostIntentResult =
  | { ok: true; intent: HostNetworkIntent; profileName: string; selectedBy: string }
  | { ok: false; violations: IntentViolation[] };

/** Builds and validates one host's network intent; throws IntentValidationError listing every violation. Pure. */
export function buildHostIntent(input: BuildHostIntentInput): HostNetworkIntent {
  const result = tryBuildHostIntent(input);
  if (!result.ok) throw new IntentValidationError(result.violations);
  return result.intent;
}

/** Like buildHostIntent but returns violations instead of throwing. */
export function tryBuildHostIntent({ topology, hostId, profileSet, overrides, backend }: BuildHostIntentInput): BuildHostIntentResult {
  const errors = new ViolationList();
  const resolved = resolveHost(topology, hostId, errors);
  const labels = collectTrafficLabels(topology, errors);
  if (!resolved) return { ok: false, violations: errors.items };
  const override = hostOverrideFor(profileSet, resolved.host, overrides, errors);
  const selection = selectProfile(profileSet, resolved, override, errors);
  if (!selection) return { ok: false, violations: errors.items };
  const { profileName } = selection;
  const profile = backend === undefined ? selection.profile : { ...selection.profile, backend };
  const hostsPath = `hosts.${resolved.host.name}`;
  const storage = pickStorageRange(topology, resolved.host.podId, override.storageAddress, errors);

  const extraNames = new Set((profile.extras ?? []).map((e) => e.name));
  const extraLabels = new Map<string, { group: LabelGroup; physicalNetworkId: string }>();
  for (const net of labels.networks) {
    for (const group of net.labels) if (extraNames.has(group.label)) extraLabels.set(group.label, { group, physicalNetworkId: net.network.id });
  }
  const ctx = {
    profile,
    profilePath: `profiles.${profileName}`,
    backend: profile.backend,
    managementLabel: labels.managementLabel,
    storageVlan: storage?.range.vlan,
    extraNames,
    guestRanges: guestRanges(topology),
    storageRange: storage,
    override,
    hostsPath,
  };
  const devices = new DeviceRegistry(errors);
  const tagged = planUplinks(ctx, labels.networks, devices, errors);
  planVlanBridges(ctx, tagged, extraLabels, devices, errors);
  checkStorageAgentRule({ topology, host: resolved.host, backend: profile.backend, storageVlan: ctx.storageVlan, tagged }, devices, errors);

  for (const net of labels.networks) {
    for (const group of net.labels) {
      // a label an error above already names (an interface's name, a hostile one) has its cause and fix there
      if (!devices.bridges.has(group.label) && !errors.items.some((v) => v.field === group.field)) {
        errors.add(group.field, group.label, `(${group.trafficTypes.join(', ')} traffic) gets no bridge on this host`, `give physical network ${JSON.stringify(net.network.name)} an uplink in profiles.${profileName}.networks and resolve the errors above`);
      }
    }
  }
  const management = labels.managementLabel ? devices.bridges.get(labels.managementLabel) : undefined;
  if (management) {
    if (management.address) errors.add(`profiles.${profileName}.extras`, management.name, 'is the management bridge and must not get another address', 'remove address from that extra');
    management.address = resolved.managementAddress;
    management.gateway = resolved.gateway;
  }
  if (profile.backend === 'ovs') {
    devices.bridges.set(LINK_LOCAL_BRIDGE, {
      name: LINK_LOCAL_BRIDGE, role: 'link-local', trafficTypes: [], address: { address: '169.254.0.1', prefix: 16 },
      stp: profile.bridge.stp, forwardDelay: profile.bridge.forwardDelay,
    });
  }
  applyNicSettings(profile, ctx.profilePath, override, devices, hostsPath, errors);
  if (!errors.empty || !management) return { ok: false, violations: errors.items };

  const intent = compactIntent({
    hostId: resolved.host.id,
    hostname: resolved.hostname,
    fqdn: profile.hostDomain ? `${resolved.hostname}.${profile.hostDomain}` : resolved.host.name.includes('.') ? resolved.host.name : undefined,
    backend: profile.backend,
    nics: sortByName(devices.nics.values(), (n) => n.name),
    bonds: sortByName(devices.bonds.values(), (b) => b.name),
    vlans: sortByName(devices.vlans.values(), (v) => v.name),
    bridges: orderBridges([...devices.bridges.values()]),
    // The default route is defaultGateway (set as the management bridge's gateway); routes holds extra static routes only.
    routes: [],
    dns: dnsFor(profile, topology, errors),
    managementBridge: management.name,
    managementAddress: resolved.managementAddress,
    defaultGateway: resolved.gateway,
    vlanSplinters: profile.vlanSplinters,
  });
  const violations = [...errors.items, ...validateHostIntent(intent).map((v) => inProfileTerms(v, intent, devices.mtuFields))];
  if (violations.length > 0) return { ok: false, violations };
  return { ok: true, intent, profileName, selectedBy: selection.reason };
}

const DEVICE_MTU = /^(nics|bonds|vlans|bridges)\[(\d+)\]\.mtu$/;

/**
 * A violation of the intent's own rules, named where the operator fixes it: a device's MTU by the profile
 * field that sets it (with the device's name), anything else by its path in the intent (`intent.…`).
 */
function inProfileTerms(v: IntentViolation, intent: HostNetworkIntent, mtuFields: ReadonlyMap<string, string>): IntentViolation {
  const hit = DEVICE_MTU.exec(v.field);
  const name = hit ? intent[hit[1] as 'nics' | 'bonds' | 'vlans' | 'bridges'][Number(hit[2])]?.name : undefined;
  const field = name !== undefined ? mtuFields.get(name) : undefined;
  if (name === undefined || field === undefined || !v.message.startsWith(`${v.field}: `)) return { ...v, field: `intent.${v.field}`, message: `intent.${v.message}` };
  const rest = v.message.slice(v.field.length + 2);
  const shown = v.value === undefined ? '' : `${showValue(v.value)} `;
  const problem = rest.startsWith(shown) ? rest.slice(shown.length) : rest;
  return { ...v, field, message: `${field}: ${shown}(${name}) ${problem}` };
}

/** Untagged bridges, then VLAN/fake bridges (their parents exist first), then cloud0; each group in natural order. */
export function orderBridges(bridges: BridgeIntent[]): BridgeIntent[] {
  const rank = (b: BridgeIntent) => (b.role === 'link-local' ? 2 : b.parent !== undefined || b.uplink?.includes('.') ? 1 : 0);
  return bridges.sort((a, b) => rank(a) - rank(b) || compareNatural(a.name, b.name));
}

function guestRanges(topology: ZoneNetworkTopology): Map<string, { name: string; ranges: VlanRange[] }> {
  const out = new Map<string, { name: string; ranges: VlanRange[] }>();
  for (const pn of topology.physicalNetworks) {
    if (pn.trafficTypes.some((t) => t.trafficType === 'Guest')) out.set(pn.id, { name: pn.name, ranges: pn.vlanRanges });
  }
  return out;
}

/** The pod's storage range (the one holding the host's storage IP when there are several). */
function pickStorageRange(topology: ZoneNetworkTopology, podId: string, storageAddress: string | undefined, errors: ViolationList): { range: StorageNetworkRange; field: string } | undefined {
  const candidates = topology.storageRanges
    .map((range, i) => ({ range, field: `topology.storageRanges[${i}]` }))
    .filter((c) => c.range.podId === podId)
    .sort((a, b) => compareNatural(a.range.id, b.range.id));
  const ip = parseIpv4(storageAddress?.split('/')[0]);
  const chosen = candidates.find((c) => {
    const start = parseIpv4(c.range.startIp);
    const prefix = netmaskToPrefix(c.range.netmask);
    return ip !== null && start !== null && prefix !== null && inSubnet(ip, start, prefix);
  }) ?? candidates[0];
  if (chosen?.range.vlan !== undefined) errors.addProblem(`${chosen.field}.vlan`, chosen.range.vlan, vlanIdProblem(chosen.range.vlan));
  return chosen;
}

function applyNicSettings(profile: HostProfile, profilePath: string, override: HostOverride, devices: DeviceRegistry, hostsPath: string, errors: ViolationList): void {
  for (const [name, settings] of Object.entries(profile.nics ?? {})) {
    const nic = devices.nics.get(name);
    if (!nic) continue;
    if (settings.mtu !== undefined) {
      nic.mtu = settings.mtu;
      devices.mtuFields.set(name, `${profilePath}.nics.${name}.mtu`);
    }
    if (settings.hwaddr !== undefined) nic.hwaddr = normalizeMac(settings.hwaddr);
  }
  for (const [name, mac] of Object.entries(override.hwaddrs ?? {})) {
    const nic = devices.nics.get(name);
    const field = `${hostsPath}.hwaddrs.${name}`;
    if (!nic) {
      errors.add(field, name, 'is not a NIC of this host\'s profile', `use one of ${[...devices.nics.keys()].join(', ')}`);
      continue;
    }
    if (errors.addProblem(field, mac, macAddressProblem(mac))) nic.hwaddr = normalizeMac(mac);
  }
  const macs = new Map<string, string>();
  for (const nic of devices.nics.values()) {
    if (nic.hwaddr === undefined) continue;
    const other = macs.get(nic.hwaddr);
    if (other) errors.add(`${hostsPath}.hwaddrs.${nic.name}`, nic.hwaddr, `is also the MAC of ${other}`, 'give each NIC its own MAC');
    macs.set(nic.hwaddr, nic.name);
  }
}

/**
 * The resolver settings hostnet writes. Without a `dns` section the host's resolver is left alone
 * (nothing rendered, as on the reference's EL hosts); with one, servers fall back to the zone's dns1/dns2.
 */
function dnsFor(profile: HostProfile, topology: ZoneNetworkTopology, errors: ViolationList): DnsIntent {
  if (profile.dns === undefined) return { nameservers: [], search: [] };
  let nameservers = profile.dns.servers;
  if (nameservers === undefined) {
    nameservers = [];
    for (const key of ['dns1', 'dns2'] as const) {
      const server = topology.zone[key];
      if (server === undefined || server === '') continue;
      if (isValidIpv4(server)) nameservers.push(server);
      else errors.add(`topology.zone.${key}`, server, 'is not an IPv4 address', 'fix the zone DNS in CloudStack or set dns.servers in the profile');
    }
  }
  return { nameservers: [...nameservers], search: [...(profile.dns.search ?? [])], domain: profile.dns.domain };
}
