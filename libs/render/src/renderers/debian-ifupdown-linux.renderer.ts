import type { BondIntent, BridgeIntent, HostNetworkIntent, NicIntent, VlanIntent } from '@hostnet/intent/domain/host-network-intent';
import { usesLacpRate, usesXmitHash } from '@hostnet/intent/validation/bond-options.validator';
import { prefixToNetmask } from '@hostnet/intent/validation/ipv4.validator';
import { INTERFACES } from '../activation/ifupdown-activation';
import { type FilePlan, renderPlan } from '../domain/file-plan';
import type { RenderedConfig } from '../domain/rendered-config';
import type { RenderOptions } from '../domain/render-options';
import { isManagement, type LinkPort, linkPortsOf, vethPairs } from '../format/intent-lookups';
import { textFile } from '../format/text-file';
import {
  bridgeSysctl,
  ifupdownActivateStep,
  LOOPBACK_STANZA,
  mtuLine,
  modulesLoad,
  PRIMARY_COMMENT,
  routeLines,
  sysctlStep,
} from './debian-system-files';

/**
 * Classic ifupdown + ifenslave (the reference): members say `bond-master`, the bond says
 * `bond-slaves none`. ifupdown2 reads `none` as a member name (two bonds → "none is enslaved to
 * multiple interfaces"), so for ifupdown2 the bond lists its members and members say nothing.
 */
type BondStyle = 'ifenslave' | 'ifupdown2';

function nicStanza(nic: NicIntent, style: BondStyle): string[] {
  const bond = nic.bond && style === 'ifenslave' ? [`bond-master ${nic.bond}`] : [];
  return [`auto ${nic.name}`, `iface ${nic.name} inet manual`, ...bond, ...mtuLine(nic.mtu)];
}

function bondStanza(bond: BondIntent, style: BondStyle): string[] {
  const extra = [
    ...(bond.lacpRate && usesLacpRate(bond.mode) ? [`bond-lacp-rate ${bond.lacpRate}`] : []),
    ...(bond.xmitHashPolicy && usesXmitHash(bond.mode) ? [`bond-xmit-hash-policy ${bond.xmitHashPolicy}`] : []),
  ];
  const slaves = style === 'ifenslave' ? 'none' : bond.members.join(' ');
  return [`auto ${bond.name}`, `iface ${bond.name} inet manual`, `bond-mode ${bond.mode}`, `bond-miimon ${bond.miimon}`, ...extra, `bond-slaves ${slaves}`, ...mtuLine(bond.mtu)];
}

function vlanStanza(vlan: VlanIntent): string[] {
  return [`auto ${vlan.name}`, `iface ${vlan.name} inet manual`, `vlan-raw-device ${vlan.parent}`, ...mtuLine(vlan.mtu)];
}

/**
 * A relabel's veth pair, one stanza named after its end in the old bridge: pre-up makes the pair unless
 * it runs already (the live transition made it), post-down deletes it (both ends go). Each bridge's
 * bridge_ports names its end, so bridge-utils enslaves and raises it; this stanza comes before the bridges.
 */
function vethStanza(port: LinkPort): string[] {
  const mtu = port.mtu === undefined ? '' : ` mtu ${port.mtu}`;
  return [
    `auto ${port.name}`,
    `iface ${port.name} inet manual`,
    `pre-up ip link show dev ${port.name} >/dev/null 2>&1 || ip link add ${port.name}${mtu} type veth peer name ${port.peer}${mtu}`,
    `post-down ip link del dev ${port.name} 2>/dev/null || true`,
  ];
}

/**
 * No `mtu` here: ifupdown2's syntax check refuses it on a bridge ("bridge inherits mtu from its
 * ports"), and the intent rules keep a linux bridge's MTU equal to its uplink's, which the port carries.
 */
function bridgeStanza(intent: HostNetworkIntent, bridge: BridgeIntent): string[] {
  const addr = bridge.address;
  const ip = addr ? [`address ${addr.address}`, ...(bridge.gateway ? [`gateway ${bridge.gateway}`] : []), `netmask ${prefixToNetmask(addr.prefix)}`] : [];
  const domain = intent.dns.domain;
  const dns = isManagement(intent, bridge)
    ? [
        ...(intent.dns.nameservers.length > 0 ? [`dns-nameservers ${intent.dns.nameservers.join(' ')}`] : []),
        ...(domain ? [`dns-domain ${domain}`] : []),
        ...(intent.dns.search.length > 0 ? [`dns-search ${intent.dns.search.join(' ')}`] : []),
      ]
    : [];
  return [
    `auto ${bridge.name}`,
    `iface ${bridge.name} inet ${addr ? 'static' : 'manual'}`,
    ...ip,
    ...dns,
    `bridge_ports ${[...(bridge.uplink ? [bridge.uplink] : []), ...linkPortsOf(intent, bridge.name).map((p) => p.name)].join(' ') || 'none'}`,
    `bridge_fd ${bridge.forwardDelay}`,
    `bridge_stp ${bridge.stp ? 'on' : 'off'}`,
    'bridge_maxwait 1',
    ...routeLines(intent, bridge.name),
  ];
}

/** /etc/network/interfaces for linux bridges; a bridge on a VLAN follows its VLAN stanza. */
export function renderInterfacesLinux(intent: HostNetworkIntent, options: RenderOptions = {}): string {
  const style: BondStyle = options.ifupdown2 ? 'ifupdown2' : 'ifenslave';
  const stanzas: string[][] = [LOOPBACK_STANZA];
  intent.nics.forEach((nic, i) => stanzas.push([...(i === 0 ? [PRIMARY_COMMENT] : []), ...nicStanza(nic, style)]));
  intent.bonds.forEach((bond) => stanzas.push(bondStanza(bond, style)));
  vethPairs(intent).forEach((p) => stanzas.push(vethStanza(p)));
  const placed = new Set<string>();
  for (const bridge of intent.bridges.filter((b) => b.role !== 'link-local')) {
    const vlan = intent.vlans.find((v) => v.name === bridge.uplink);
    if (vlan) {
      stanzas.push(vlanStanza(vlan));
      placed.add(vlan.name);
    }
    stanzas.push(bridgeStanza(intent, bridge));
  }
  intent.vlans.filter((v) => !placed.has(v.name)).forEach((v) => stanzas.push(vlanStanza(v)));
  return textFile(stanzas.map((s) => s.join('\n')).join('\n\n').split('\n'));
}

/** Debian/Ubuntu ifupdown with linux bridges: interfaces, the modules-load.d and bridge sysctl drop-ins. */
export function debianIfupdownLinuxFiles(intent: HostNetworkIntent, options: RenderOptions = {}): FilePlan {
  const modules = modulesLoad(intent);
  return {
    files: [{ path: INTERFACES, content: () => renderInterfacesLinux(intent, options), mode: 0o644 }, ...modules.files, bridgeSysctl()],
    removes: modules.removes,
  };
}

export function renderDebianIfupdownLinux(intent: HostNetworkIntent, options: RenderOptions = {}): RenderedConfig {
  return {
    target: 'debian-ifupdown-linux',
    ...renderPlan(debianIfupdownLinuxFiles(intent, options)),
    undoSteps: [],
    steps: [sysctlStep(), ifupdownActivateStep(options)],
  };
}
