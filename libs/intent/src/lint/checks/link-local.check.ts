import type { KvmHost } from '@hostnet/cloudstack';
import { LINK_LOCAL_BRIDGE } from '../../validation/interface-name.validator';
import { isLinkLocal, netmaskToPrefix, parseIpv4, subnetsOverlap } from '../../validation/ipv4.validator';
import type { LintContext } from '../lint-context';
import { locate } from '../lint-context';
import type { LintFinding } from '../zone-lint.types';

const FIX_ADDRESS = 'fix: use an address outside 169.254.0.0/16, which belongs to the agent\'s cloud0 bridge (system VMs\' control NICs)';

const linkLocal = (address: string | undefined): boolean => {
  const ip = parseIpv4(address);
  return ip !== null && isLinkLocal(ip);
};

/**
 * cloud0 and 169.254.0.0/16 belong to the agent's link-local bridge: a traffic label named cloud0, or a
 * 169.254 address anywhere else (hosts, pods, storage ranges, zone DNS, profile addresses, gateways).
 */
export function checkLinkLocal(ctx: LintContext): LintFinding[] {
  const { topology } = ctx;
  const findings: LintFinding[] = [];
  const add = (where: Parameters<typeof locate>[1], message: string, hosts: readonly KvmHost[]) =>
    findings.push({ severity: 'error', code: 'link-local-misuse', where: locate(topology, where), message, hostIds: hosts.map((h) => h.id) });

  for (const network of topology.physicalNetworks) {
    for (const traffic of network.trafficTypes) {
      if (traffic.effectiveLabel !== LINK_LOCAL_BRIDGE) continue;
      const source = traffic.labelSource === 'cloudstack' ? 'KVM label' : 'fallback label';
      add({ physicalNetworkId: network.id }, `${traffic.trafficType} traffic's ${source} is ${LINK_LOCAL_BRIDGE}, the agent's link-local bridge for system VMs' control NICs (169.254.0.0/16); fix: set the ${traffic.trafficType} KVM label in CloudStack to another bridge, e.g. cloudbr0`, topology.hosts);
    }
  }
  for (const [key, label] of [['dns1', 'DNS 1'], ['dns2', 'DNS 2'], ['internalDns1', 'internal DNS 1'], ['internalDns2', 'internal DNS 2']] as const) {
    const server = topology.zone[key];
    if (linkLocal(server)) add({}, `zone ${label} ${server} is in 169.254.0.0/16; ${FIX_ADDRESS}`, topology.hosts);
  }
  for (const pod of topology.pods) {
    const gateway = parseIpv4(pod.gateway);
    const prefix = netmaskToPrefix(pod.netmask);
    const hosts = topology.hosts.filter((h) => h.podId === pod.id);
    if (gateway !== null && prefix !== null && subnetsOverlap(gateway, prefix, parseIpv4('169.254.0.0') as number, 16)) {
      add({ podId: pod.id }, `pod network ${pod.gateway}/${prefix} overlaps 169.254.0.0/16; ${FIX_ADDRESS}`, hosts);
    }
  }
  for (const range of topology.storageRanges) {
    const bad = [range.startIp, range.endIp, range.gateway].filter(linkLocal);
    if (bad.length > 0) add({ podId: range.podId }, `storage range ${range.startIp}-${range.endIp} uses ${bad.join(', ')} in 169.254.0.0/16; ${FIX_ADDRESS}`, topology.hosts.filter((h) => h.podId === range.podId));
  }
  for (const host of topology.hosts) {
    if (linkLocal(host.ipAddress)) add({ podId: host.podId, hosts: [host] }, `management address ${host.ipAddress} is in 169.254.0.0/16; ${FIX_ADDRESS}`, [host]);
  }
  for (const { host, intent } of ctx.built) {
    const bad: string[] = [];
    for (const bridge of intent.bridges) {
      if (bridge.role === 'link-local' || bridge.address === undefined || bridge.address.address === host.ipAddress) continue;
      if (linkLocal(bridge.address.address)) bad.push(`${bridge.name} address ${bridge.address.address}`);
    }
    if (linkLocal(intent.defaultGateway) && !linkLocal(host.ipAddress)) bad.push(`default gateway ${intent.defaultGateway}`);
    for (const server of intent.dns.nameservers) if (linkLocal(server) && !topologyDns(ctx).includes(server)) bad.push(`DNS server ${server}`);
    for (const route of intent.routes) if (linkLocal(route.via)) bad.push(`route via ${route.via}`);
    if (bad.length > 0) add({ podId: host.podId, hosts: [host] }, `the host's profile puts ${bad.join(', ')} in 169.254.0.0/16; ${FIX_ADDRESS} (hosts.${host.name} in the profile file)`, [host]);
  }
  return findings;
}

/** Zone DNS servers (already reported once for the zone). */
function topologyDns(ctx: LintContext): string[] {
  const z = ctx.topology.zone;
  return [z.dns1, z.dns2, z.internalDns1, z.internalDns2].filter((s): s is string => s !== undefined);
}
