import type { BondIntent, BridgeIntent, HostNetworkIntent, NicIntent } from '@hostnet/intent/domain/host-network-intent';
import { prefixToNetmask } from '@hostnet/intent/validation/ipv4.validator';
import { INTERFACES } from '../activation/ifupdown-activation';
import { type FilePlan, renderPlan } from '../domain/file-plan';
import type { ApplyStep, RenderedConfig } from '../domain/rendered-config';
import type { RenderOptions } from '../domain/render-options';
import { ovsBondSettings } from '../format/bond-options';
import { bondMtuRequest, bridgeMtuRequest, nicMtuRequest, ovsExtraValue } from '../format/ovs-mtu';
import { bondsOf, directNicsOf, fakeBridges, isManagement, type LinkPort, linkPortsOf, realBridges } from '../format/intent-lookups';
import { textFile } from '../format/text-file';
import {
  bridgeBlacklist,
  bridgeSysctl,
  ifupdownActivateStep,
  LOOPBACK_STANZA,
  mtuLine,
  modulesLoad,
  PRIMARY_COMMENT,
  routeLines,
  sysctlStep,
} from './debian-system-files';
import { renderOvsLiveSteps } from './ovs-live-steps';

/** openvswitch-switch's hook appends ovs_extra to its add-br / add-port / add-bond after `--`, so OVS itself keeps the MTU. */
function ovsExtraLine(commands: string[][]): string[] {
  const value = ovsExtraValue(commands);
  return value === undefined ? [] : [`ovs_extra ${value}`];
}

/** Bond members need no stanza of their own (the OVSBond brings them up, its ovs_extra sets their MTU); kept commented as in the reference. */
function nicStanza(nic: NicIntent): string[] {
  if (nic.bond === undefined && nic.bridge) {
    return [`allow-${nic.bridge} ${nic.name}`, `iface ${nic.name} inet manual`, ...mtuLine(nic.mtu), `ovs_bridge ${nic.bridge}`, 'ovs_type OVSPort', ...ovsExtraLine(nicMtuRequest(nic))];
  }
  return [`#auto ${nic.name}`, `#iface ${nic.name} inet manual`];
}

/** No `mtu` line: the bond is an OVS Port, not a link `ip` could set; its members' mtu_request is its MTU. */
function bondStanza(intent: HostNetworkIntent, bond: BondIntent): string[] {
  return [
    `allow-${bond.bridge} ${bond.name}`,
    `iface ${bond.name} inet manual`,
    `ovs_bridge ${bond.bridge}`,
    'ovs_type OVSBond',
    `ovs_bonds ${bond.members.join(' ')}`,
    `ovs_options ${ovsBondSettings(bond).join(' ')}`,
    ...ovsExtraLine(bondMtuRequest(intent, bond)),
  ];
}

/** openvswitch-switch's hook: OVSPatchPort → `add-port … -- set interface … type=patch options:peer=$IF_OVS_PATCH_PEER`. */
function patchStanza(port: LinkPort): string[] {
  return [`allow-${port.bridge} ${port.name}`, `iface ${port.name} inet manual`, `ovs_bridge ${port.bridge}`, 'ovs_type OVSPatchPort', `ovs_patch_peer ${port.peer}`];
}

function ipLines(intent: HostNetworkIntent, bridge: BridgeIntent): string[] {
  const addr = bridge.address;
  if (!addr) return [];
  const domain = intent.dns.domain;
  const dns = isManagement(intent, bridge)
    ? [
        ...(intent.dns.nameservers.length > 0 ? [`dns-nameservers ${intent.dns.nameservers.join(' ')}`] : []),
        ...(domain ? [`dns-domain ${domain}`] : []),
        ...(intent.dns.search.length > 0 ? [`dns-search ${intent.dns.search.join(' ')}`] : []),
      ]
    : [];
  return [`address ${addr.address}`, `netmask ${prefixToNetmask(addr.prefix)}`, ...(bridge.gateway ? [`gateway ${bridge.gateway}`] : []), ...dns];
}

/** `auto` only where there is an address to bring up at boot; OVS itself brings up the rest (allow-ovs). */
function bridgeHead(bridge: BridgeIntent): string[] {
  return [...(bridge.address ? [`auto ${bridge.name}`] : []), `allow-ovs ${bridge.name}`, `iface ${bridge.name} inet ${bridge.address ? 'static' : 'manual'}`];
}

function bridgeStanza(intent: HostNetworkIntent, bridge: BridgeIntent, options: RenderOptions): string[] {
  const ports = [
    ...bondsOf(intent, bridge.name).map((b) => b.name),
    ...directNicsOf(intent, bridge.name).map((n) => n.name),
    ...linkPortsOf(intent, bridge.name).map((p) => p.name),
  ];
  return [
    ...bridgeHead(bridge),
    ...ipLines(intent, bridge),
    ...mtuLine(bridge.mtu),
    'ovs_type OVSBridge',
    ...(ports.length > 0 ? [`ovs_ports ${ports.join(' ')}`] : []),
    ...ovsExtraLine([...(options.ovsDatapathType ? [['set', 'bridge', bridge.name, `datapath_type=${options.ovsDatapathType}`]] : []), ...bridgeMtuRequest(bridge)]),
    ...routeLines(intent, bridge.name),
  ];
}

/**
 * A fake VLAN bridge is an OVSBridge whose ovs_options are `<parent> <tag>`: Debian's hook runs
 * `ovs-vsctl --may-exist add-br $IFACE $IF_OVS_OPTIONS`, i.e. `add-br cloudbr100 cloudbr0 100`.
 * It is listed after its parent so `ifup --allow=ovs` creates the parent first.
 */
function fakeBridgeStanza(intent: HostNetworkIntent, bridge: BridgeIntent): string[] {
  return [
    ...bridgeHead(bridge),
    ...ipLines(intent, bridge),
    ...mtuLine(bridge.mtu),
    'ovs_type OVSBridge',
    `ovs_options ${bridge.parent} ${bridge.vlanId}`,
    ...ovsExtraLine(bridgeMtuRequest(bridge)),
    ...routeLines(intent, bridge.name),
  ];
}

/**
 * /etc/network/interfaces for Open vSwitch. cloud0 is left to the CloudStack agent, as the
 * reference's Ubuntu section says (the live steps still create the bridge itself).
 */
export function renderInterfacesOvs(intent: HostNetworkIntent, options: RenderOptions = {}): string {
  const stanzas: string[][] = [LOOPBACK_STANZA];
  intent.nics.forEach((nic, i) => stanzas.push([...(i === 0 ? [PRIMARY_COMMENT] : []), ...nicStanza(nic)]));
  for (const bridge of realBridges(intent).filter((b) => b.role !== 'link-local')) {
    bondsOf(intent, bridge.name).forEach((bond) => stanzas.push(bondStanza(intent, bond)));
    linkPortsOf(intent, bridge.name).forEach((port) => stanzas.push(patchStanza(port)));
    stanzas.push(bridgeStanza(intent, bridge, options));
  }
  fakeBridges(intent).forEach((b) => stanzas.push(fakeBridgeStanza(intent, b)));
  return textFile(stanzas.map((s) => s.join('\n')).join('\n\n').split('\n'));
}

/**
 * Activation around `networking restart`, learnt on real hosts (test/lab):
 * - NICs that become OVS ports keep the address and default route of their old stanza, because the
 *   new file comments them out and `ifdown -a` ignores interfaces it no longer knows; cloudbr0's
 *   `gateway` then fails with "File exists". Their IPv4 addresses are flushed first.
 * - classic ifupdown's hook creates bonds with a plain `add-bond` (no --may-exist), so a bond the
 *   live steps made first fails `ifup`; the hook owns bonds, as the file does on every boot.
 * - `ifup -a` only raises `auto` stanzas; bridges without an address are `allow-ovs` only, which
 *   openvswitch-switch raises at boot: `ifup --allow=ovs` does that now.
 * - cloud0 is not in the file (the agent configures it at its start), but verification expects its
 *   link-local address now, so it is set live.
 * With the host's files known (RenderOptions.previousFiles), renderHost swaps `networking restart` and
 * `ifup --allow=ovs` for ifdown/ifup of only the stanzas that change (activation/ifupdown-activation.ts).
 */
function activationSteps(intent: HostNetworkIntent, options: RenderOptions): ApplyStep[] {
  const ports = intent.nics.filter((n) => n.bond !== undefined || n.bridge !== undefined);
  const flush = ports.map((n): ApplyStep => ({ name: `flush-${n.name}`, argv: ['ip', '-4', 'addr', 'flush', 'dev', n.name], phase: 'activate' }));
  const ovsBridges = [...realBridges(intent).filter((b) => b.role !== 'link-local'), ...fakeBridges(intent)].map((b) => b.name);
  const allowOvs: ApplyStep[] = options.ifupdown2 ? [] : [{ name: 'ifup-allow-ovs', argv: ['ifup', '--allow=ovs', ...ovsBridges], phase: 'activate' }];
  const linkLocal = intent.bridges.filter((b) => b.role === 'link-local' && b.address).flatMap((b): ApplyStep[] => [
    { name: `link-up-${b.name}`, argv: ['ip', 'link', 'set', 'dev', b.name, 'up'], phase: 'activate' },
    { name: `addr-${b.name}`, argv: ['ip', 'addr', 'replace', `${b.address!.address}/${b.address!.prefix}`, 'dev', b.name], phase: 'activate' },
  ]);
  return [...flush, sysctlStep(), ifupdownActivateStep(options), ...allowOvs, ...linkLocal];
}

export function debianIfupdownOvsFiles(intent: HostNetworkIntent, options: RenderOptions = {}): FilePlan {
  const modules = modulesLoad(intent);
  return {
    files: [{ path: INTERFACES, content: () => renderInterfacesOvs(intent, options), mode: 0o644 }, ...modules.files, bridgeBlacklist(), bridgeSysctl()],
    removes: modules.removes,
  };
}

/** Ubuntu/Debian ifupdown with Open vSwitch (openvswitch-switch's ifupdown hook). */
export function renderDebianIfupdownOvs(intent: HostNetworkIntent, options: RenderOptions = {}): RenderedConfig {
  const live = renderOvsLiveSteps(intent, options).filter((s) => options.ifupdown2 || !s.name.startsWith('ovs-add-bond-'));
  return {
    target: 'debian-ifupdown-ovs',
    ...renderPlan(debianIfupdownOvsFiles(intent, options)),
    undoSteps: [],
    steps: [...live, ...activationSteps(intent, options)],
  };
}
