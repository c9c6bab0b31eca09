import type { BondIntent, BridgeIntent, HostNetworkIntent, Ipv4Address } from '../domain/host-network-intent';
import { bondOptionProblems } from './bond-options.validator';
import { interfaceNameProblem, LINK_LOCAL_BRIDGE, matchesAgentPifPattern, pifNameProblem, reservedNameProblem } from './interface-name.validator';
import { type IntentViolation, ViolationList } from './intent-violation';
import { formatIpv4, hostAddressProblem, inSubnet, isValidIpv4, networkOf, parseCidr, parseIpv4, subnetsOverlap } from './ipv4.validator';
import { checkMtus } from './mtu.validator';
import { domainNameProblem, miimonProblem, mtuProblem, vlanIdProblem } from './network-values.validator';

/**
 * Checks a finished intent against every structural rule, whatever produced it (the builder, a job
 * payload, a test). Field paths are relative to the intent, e.g. `bridges[1].uplink`.
 */
export function validateHostIntent(intent: HostNetworkIntent): IntentViolation[] {
  const errors = new ViolationList();
  checkNames(intent, errors);
  checkBonds(intent, errors);
  checkVlans(intent, errors);
  checkBridges(intent, errors);
  checkMtus(intent, errors);
  checkLinks(intent, errors);
  checkAddressing(intent, errors);
  return errors.items;
}

function checkNames(intent: HostNetworkIntent, errors: ViolationList): void {
  const seen = new Map<string, string>();
  const all: Array<[string, string]> = [
    ...intent.nics.map((n, i) => [`nics[${i}].name`, n.name] as [string, string]),
    ...intent.bonds.map((b, i) => [`bonds[${i}].name`, b.name] as [string, string]),
    ...intent.vlans.map((v, i) => [`vlans[${i}].name`, v.name] as [string, string]),
    ...intent.bridges.map((b, i) => [`bridges[${i}].name`, b.name] as [string, string]),
    ...(intent.links ?? []).flatMap((l, i) => l.ends.map((e, j) => [`links[${i}].ends[${j}].name`, e.name] as [string, string])),
  ];
  for (const [field, name] of all) {
    if (!errors.addProblem(field, name, interfaceNameProblem(name))) continue;
    const isLinkLocal = name === LINK_LOCAL_BRIDGE && intent.bridges.some((b) => b.name === name && b.role === 'link-local');
    if (!isLinkLocal) errors.addProblem(field, name, reservedNameProblem(name));
    const first = seen.get(name);
    if (first !== undefined) errors.add(field, name, `is also used by ${first}`, 'give every NIC, bond, VLAN interface and bridge its own name');
    else seen.set(name, field);
  }
  errors.addProblem('hostname', intent.hostname, intent.hostname.includes('.') ? 'is not a short host name; fix: put the domain in fqdn' : domainNameProblem(intent.hostname));
  if (intent.fqdn !== undefined) errors.addProblem('fqdn', intent.fqdn, domainNameProblem(intent.fqdn));
  const mtus: Array<[string, number | undefined]> = [
    ...intent.nics.map((n, i) => [`nics[${i}].mtu`, n.mtu] as [string, number | undefined]),
    ...intent.bonds.map((b, i) => [`bonds[${i}].mtu`, b.mtu] as [string, number | undefined]),
    ...intent.vlans.map((v, i) => [`vlans[${i}].mtu`, v.mtu] as [string, number | undefined]),
    ...intent.bridges.map((b, i) => [`bridges[${i}].mtu`, b.mtu] as [string, number | undefined]),
  ];
  for (const [field, mtu] of mtus) if (mtu !== undefined) errors.addProblem(field, mtu, mtuProblem(mtu));
  if (intent.vlanSplinters && intent.backend !== 'ovs') errors.add('vlanSplinters', true, 'is an Open vSwitch setting', 'turn vlanSplinters off or use backend ovs');
}

function checkBonds(intent: HostNetworkIntent, errors: ViolationList): void {
  const owner = new Map<string, string>();
  intent.bonds.forEach((bond: BondIntent, i) => {
    for (const p of bondOptionProblems(bond, intent.backend)) errors.addProblem(`bonds[${i}].${p.key}`, bond[p.key], p.problem);
    errors.addProblem(`bonds[${i}].miimon`, bond.miimon, miimonProblem(bond.miimon, intent.backend));
    if (bond.members.length === 0) errors.add(`bonds[${i}].members`, bond.members, 'is empty', 'list at least one NIC');
    bond.members.forEach((member, m) => {
      const field = `bonds[${i}].members[${m}]`;
      const nic = intent.nics.find((n) => n.name === member);
      if (!nic) errors.add(field, member, 'is not one of the intent\'s NICs', 'add the NIC or remove it from the bond');
      else if (nic.bond !== bond.name) errors.add(field, member, `has bond ${JSON.stringify(nic.bond)} on its NIC entry`, `set nics[].bond to ${bond.name}`);
      if (owner.has(member)) errors.add(field, member, `is already a member of ${owner.get(member)}`, 'enslave each NIC to one bond once');
      else owner.set(member, bond.name);
    });
  });
  intent.nics.forEach((nic, i) => {
    if (nic.bond !== undefined && !intent.bonds.some((b) => b.name === nic.bond)) {
      errors.add(`nics[${i}].bond`, nic.bond, 'is not a bond of the intent', 'add the bond or clear nics[].bond');
    }
    if (nic.bond !== undefined && nic.bridge !== undefined) errors.add(`nics[${i}].bridge`, nic.bridge, 'is set on a bond member', 'attach the bond, not its member, to the bridge');
  });
}

function checkVlans(intent: HostNetworkIntent, errors: ViolationList): void {
  if (intent.backend === 'ovs' && intent.vlans.length > 0) errors.add('vlans', intent.vlans.map((v) => v.name), 'are linux VLAN interfaces on an ovs host', 'use OVS fake bridges (parent + vlanId) instead');
  intent.vlans.forEach((vlan, i) => {
    errors.addProblem(`vlans[${i}].vlanId`, vlan.vlanId, vlanIdProblem(vlan.vlanId));
    const parentKind = intent.nics.some((n) => n.name === vlan.parent && n.bond === undefined) || intent.bonds.some((b) => b.name === vlan.parent);
    if (!parentKind) errors.add(`vlans[${i}].parent`, vlan.parent, 'is not a NIC (outside any bond) or a bond of the intent', 'put the VLAN on a bond or a free NIC');
  });
}

function checkBridges(intent: HostNetworkIntent, errors: ViolationList): void {
  const ports = new Map<string, string>();
  intent.bridges.forEach((bridge: BridgeIntent, i) => {
    const at = `bridges[${i}]`;
    if (bridge.role === 'link-local' && (bridge.name !== LINK_LOCAL_BRIDGE || intent.backend !== 'ovs')) {
      errors.add(`${at}.role`, bridge.role, `is only for ${LINK_LOCAL_BRIDGE} on ovs hosts (the agent creates it on linux)`, 'remove this bridge');
    }
    if (bridge.role === 'traffic-label' && bridge.trafficTypes.length === 0) errors.add(`${at}.trafficTypes`, [], 'is empty on a traffic-label bridge', 'list the traffic types it serves or make it an extra');
    if (bridge.uplink !== undefined) {
      const known = intent.nics.some((n) => n.name === bridge.uplink) || intent.bonds.some((b) => b.name === bridge.uplink) || intent.vlans.some((v) => v.name === bridge.uplink);
      if (!known) errors.add(`${at}.uplink`, bridge.uplink, 'is not a NIC, bond or VLAN interface of the intent', 'add the device or fix the uplink');
      errors.addProblem(`${at}.uplink`, bridge.uplink, pifNameProblem(bridge.uplink));
      if (ports.has(bridge.uplink)) errors.add(`${at}.uplink`, bridge.uplink, `is already the uplink of ${ports.get(bridge.uplink)}`, 'a port can be in one bridge; put one of them on a VLAN');
      else ports.set(bridge.uplink, bridge.name);
    }
    if (bridge.parent !== undefined || bridge.vlanId !== undefined) {
      if (intent.backend !== 'ovs') errors.add(`${at}.parent`, bridge.parent, 'makes an OVS fake bridge on a linux host', 'use a VLAN interface as the uplink instead');
      if (bridge.uplink !== undefined) errors.add(`${at}.uplink`, bridge.uplink, 'is set on a fake bridge', 'a fake bridge has a parent and vlanId, not an uplink');
      errors.addProblem(`${at}.vlanId`, bridge.vlanId, vlanIdProblem(bridge.vlanId));
      const parent = intent.bridges.find((b) => b.name === bridge.parent);
      if (!parent || parent.parent !== undefined || parent.role === 'link-local') {
        errors.add(`${at}.parent`, bridge.parent, 'is not a real (non-fake) bridge of the intent', 'name an untagged bridge such as cloudbr0');
      }
    }
  });
}

/** Links between bridges (a relabel's expand layout): the right kind for the backend, two real bridges, veth ends the agent reads right. */
function checkLinks(intent: HostNetworkIntent, errors: ViolationList): void {
  const linked = new Set<string>();
  (intent.links ?? []).forEach((link, i) => {
    const at = `links[${i}]`;
    const kind = intent.backend === 'ovs' ? 'ovs-patch' : 'veth';
    if (link.kind !== kind) errors.add(`${at}.kind`, link.kind, `is not the ${intent.backend} backend's link`, `use ${kind}`);
    if (link.ends.length !== 2) {
      errors.add(`${at}.ends`, link.ends, 'is not a pair', 'give exactly two ends');
      return;
    }
    link.ends.forEach((end, j) => {
      const bridge = intent.bridges.find((b) => b.name === end.bridge);
      if (!bridge || bridge.parent !== undefined || bridge.role === 'link-local') {
        errors.add(`${at}.ends[${j}].bridge`, end.bridge, 'is not a real label or extra bridge of the intent', 'link two untagged bridges');
      }
      if (linked.has(end.bridge)) errors.add(`${at}.ends[${j}].bridge`, end.bridge, 'is already linked to another bridge', 'link each bridge once (two paths would loop)');
    });
    if (link.ends[0].bridge === link.ends[1].bridge) errors.add(`${at}.ends`, link.ends[0].bridge, 'links a bridge to itself', 'link two different bridges');
    link.ends.forEach((end) => linked.add(end.bridge));
    if (link.kind === 'veth') {
      // The agent takes a bridge's first port matching its pif patterns as the bridge's uplink.
      if (!matchesAgentPifPattern(link.ends[0].name)) errors.add(`${at}.ends[0].name`, link.ends[0].name, 'does not match the agent\'s pif patterns, so the old bridge would fail CheckNetworkCommand', 'name it e.g. eth…');
      if (matchesAgentPifPattern(link.ends[1].name)) errors.add(`${at}.ends[1].name`, link.ends[1].name, 'matches the agent\'s pif patterns, so the agent could take it for the new bridge\'s uplink', 'name it outside eth|bond|vlan|vx|em|ens|eno|enp|team|enx|dummy|lo|pXpY');
      if (link.mtu !== undefined) errors.addProblem(`${at}.mtu`, link.mtu, mtuProblem(link.mtu));
    } else if (link.mtu !== undefined) {
      errors.add(`${at}.mtu`, link.mtu, 'is set on an OVS patch pair, which has no MTU', 'remove it');
    }
  });
}

function checkAddress(field: string, address: Ipv4Address, linkLocalAllowed: boolean, errors: ViolationList): void {
  if (linkLocalAllowed) {
    if (address.address !== '169.254.0.1' || address.prefix !== 16) errors.add(field, address, 'is not 169.254.0.1/16', `${LINK_LOCAL_BRIDGE} must carry 169.254.0.1/16 (agent control.cidr)`);
    return;
  }
  errors.addProblem(field, `${address.address}/${address.prefix}`, hostAddressProblem(address.address, address.prefix));
}

function checkAddressing(intent: HostNetworkIntent, errors: ViolationList): void {
  const subnets: Array<{ field: string; address: number; prefix: number }> = [];
  intent.bridges.forEach((bridge, i) => {
    if (!bridge.address) return;
    checkAddress(`bridges[${i}].address`, bridge.address, bridge.role === 'link-local', errors);
    const value = parseIpv4(bridge.address.address);
    if (value === null) return;
    for (const other of subnets) {
      if (subnetsOverlap(value, bridge.address.prefix, other.address, other.prefix)) {
        errors.add(`bridges[${i}].address`, `${bridge.address.address}/${bridge.address.prefix}`, `overlaps the subnet of ${other.field}`, 'put each bridge\'s address in its own subnet');
      }
    }
    subnets.push({ field: `bridges[${i}].address`, address: value, prefix: bridge.address.prefix });
    if (bridge.gateway !== undefined) checkGateway(`bridges[${i}].gateway`, bridge.gateway, bridge.address, errors);
  });
  const mgmt = intent.bridges.find((b) => b.name === intent.managementBridge);
  if (!mgmt) errors.add('managementBridge', intent.managementBridge, 'is not a bridge of the intent', 'add the Management label\'s bridge');
  else if (mgmt.address?.address !== intent.managementAddress.address || mgmt.address?.prefix !== intent.managementAddress.prefix) {
    errors.add('managementAddress', intent.managementAddress, `is not the address of bridge ${mgmt.name}`, 'put the management address on the management bridge');
  }
  checkGateway('defaultGateway', intent.defaultGateway, intent.managementAddress, errors);
  intent.routes.forEach((route, i) => {
    // The default route is defaultGateway; a second one here would be rendered twice (gateway + post-up).
    if (route.to === 'default') errors.add(`routes[${i}].to`, route.to, 'duplicates the default route, which is defaultGateway on the management bridge', 'remove it from routes (set defaultGateway instead)');
    else if (parseCidr(route.to)?.prefix == null) errors.add(`routes[${i}].to`, route.to, 'is not a network in CIDR form', 'write e.g. 10.1.0.0/16');
    else {
      // the kernel refuses a destination with host bits ("Invalid prefix for given prefix length")
      const { address, prefix } = parseCidr(route.to) as { address: string; prefix: number };
      const network = formatIpv4(networkOf(parseIpv4(address) as number, prefix));
      if (network !== address) errors.add(`routes[${i}].to`, route.to, `has host bits set beyond its /${prefix} (the kernel refuses such a route)`, `write ${network}/${prefix}, or /32 for the one host ${address}`);
    }
    const via = parseIpv4(route.via);
    if (via === null) errors.add(`routes[${i}].via`, route.via, 'is not an IPv4 address', 'use a dotted-quad gateway');
    else if (inSubnet(via, parseIpv4('169.254.0.0') as number, 16)) errors.add(`routes[${i}].via`, route.via, 'is link-local; only cloud0 may use 169.254.0.0/16', 'route via a gateway outside 169.254.0.0/16');
    if (!intent.bridges.some((b) => b.name === route.dev)) errors.add(`routes[${i}].dev`, route.dev, 'is not a bridge of the intent', 'route via one of the intent\'s bridges');
  });
  intent.dns.nameservers.forEach((ns, i) => {
    if (!isValidIpv4(ns)) errors.add(`dns.nameservers[${i}]`, ns, 'is not an IPv4 address', 'list DNS servers as dotted quads');
  });
  intent.dns.search.forEach((d, i) => errors.addProblem(`dns.search[${i}]`, d, domainNameProblem(d)));
  if (intent.dns.domain !== undefined) errors.addProblem('dns.domain', intent.dns.domain, domainNameProblem(intent.dns.domain));
}

function checkGateway(field: string, gateway: string, address: Ipv4Address, errors: ViolationList): void {
  const gw = parseIpv4(gateway);
  const own = parseIpv4(address.address);
  if (gw === null) {
    errors.add(field, gateway, 'is not an IPv4 address', 'use a dotted-quad gateway');
    return;
  }
  if (own !== null && !inSubnet(gw, own, address.prefix)) errors.add(field, gateway, `is outside ${address.address}/${address.prefix}`, 'use a gateway inside the interface\'s subnet');
  else if (gw === own) errors.add(field, gateway, 'equals the interface\'s own address', 'use the router\'s address');
}
