import type { BondIntent, BridgeIntent, HostNetworkIntent, NicIntent, VlanIntent } from '@hostnet/intent/domain/host-network-intent';
import { prefixToNetmask } from '@hostnet/intent/validation/ipv4.validator';
import { type FilePlan, type PlannedFile, renderPlan } from '../domain/file-plan';
import type { RenderedConfig } from '../domain/rendered-config';
import { linuxBondingOpts } from '../format/bond-options';
import { isManagement, searchDomains } from '../format/intent-lookups';
import { shellVars, textFile } from '../format/text-file';

/** Directory of initscripts' per-interface files. */
export const NETWORK_SCRIPTS_DIR = '/etc/sysconfig/network-scripts';

/** initscripts maps `ifcfg-<suffix>` to the interface named by DEVICE, so the suffix must equal DEVICE. */
export function ifcfgPath(device: string): string {
  return `${NETWORK_SCRIPTS_DIR}/ifcfg-${device}`;
}

/**
 * initscripts' `route-<dev>` files (ip-route argument lines), one per device with extra static
 * routes; ifup-routes adds them when the device comes up. The default route is GATEWAY, not here.
 */
export function routeFiles(intent: HostNetworkIntent): PlannedFile[] {
  const devs = [...new Set(intent.routes.map((r) => r.dev))];
  return devs.map((dev) => ({
    path: `${NETWORK_SCRIPTS_DIR}/route-${dev}`,
    content: () => textFile(intent.routes.filter((r) => r.dev === dev).map((r) => `${r.to} via ${r.via} dev ${r.dev}`)),
    mode: 0o644,
  }));
}

function nicFile(nic: NicIntent): PlannedFile {
  const vars = () => shellVars([
    ['DEVICE', nic.name],
    ['TYPE', 'Ethernet'],
    ['USERCTL', 'no'],
    ['MASTER', nic.bond],
    ['SLAVE', nic.bond ? 'yes' : undefined],
    ['BRIDGE', nic.bond ? undefined : nic.bridge],
    ['BOOTPROTO', 'none'],
    ['HWADDR', nic.hwaddr],
    ['MTU', nic.mtu],
    ['NM_CONTROLLED', 'no'],
    ['ONBOOT', 'yes'],
  ]);
  return { path: ifcfgPath(nic.name), content: () => textFile(vars()), mode: 0o644 };
}

function bondFile(bond: BondIntent): PlannedFile {
  const vars = () => shellVars([
    ['DEVICE', bond.name],
    ['ONBOOT', 'yes'],
    ['BONDING_OPTS', `'${linuxBondingOpts(bond).join(' ')}'`],
    ['BRIDGE', bond.bridge],
    ['MTU', bond.mtu],
    ['NM_CONTROLLED', 'no'],
  ]);
  return { path: ifcfgPath(bond.name), content: () => textFile(vars()), mode: 0o644 };
}

function vlanFile(vlan: VlanIntent): PlannedFile {
  // initscripts derives the parent and the tag from DEVICE=<parent>.<id>; the intent's name is exactly that.
  const vars = () => shellVars([
    ['DEVICE', vlan.name],
    ['VLAN', 'yes'],
    ['BOOTPROTO', 'static'],
    ['ONBOOT', 'yes'],
    ['TYPE', 'Unknown'],
    ['BRIDGE', vlan.bridge],
    ['MTU', vlan.mtu],
    // Not in the reference's file, unlike every other: without it EL's NetworkManager (ifcfg-rh) takes the VLAN too.
    ['NM_CONTROLLED', 'no'],
  ]);
  return { path: ifcfgPath(vlan.name), content: () => textFile(vars()), mode: 0o644 };
}

/** DNS1.. and DOMAIN go on the management bridge only, so resolv.conf has one owner (Linux and OVS alike). */
export function dnsVars(intent: HostNetworkIntent, bridge: BridgeIntent): Array<[string, string]> {
  if (!isManagement(intent, bridge)) return [];
  const vars: Array<[string, string]> = intent.dns.nameservers.map((ns, i) => [`DNS${i + 1}`, ns]);
  const search = searchDomains(intent);
  if (search.length > 0) vars.push(['DOMAIN', `"${search.join(' ')}"`]);
  return vars;
}

function bridgeFile(intent: HostNetworkIntent, bridge: BridgeIntent): PlannedFile {
  const onVlan = intent.vlans.some((v) => v.name === bridge.uplink);
  const vars = () => shellVars([
    ['DEVICE', bridge.name],
    ['ONBOOT', 'yes'],
    ['TYPE', 'Bridge'],
    ['VLAN', onVlan ? 'yes' : undefined],
    ['IPADDR', bridge.address?.address],
    ['NETMASK', bridge.address ? prefixToNetmask(bridge.address.prefix) : undefined],
    ['GATEWAY', bridge.gateway],
    ...dnsVars(intent, bridge),
    ['MTU', bridge.mtu],
    ['STP', bridge.stp ? 'yes' : undefined],
    ['NM_CONTROLLED', 'no'],
    ['DELAY', bridge.forwardDelay],
  ]);
  return { path: ifcfgPath(bridge.name), content: () => textFile(vars()), mode: 0o644 };
}

/** The files renderElNetworkScriptsLinux writes, their content rendered only on demand. */
export function elNetworkScriptsLinuxFiles(intent: HostNetworkIntent): FilePlan {
  const bridges = intent.bridges.filter((b) => b.role !== 'link-local');
  return {
    files: [...intent.nics.map(nicFile), ...intent.bonds.map(bondFile), ...bridges.map((b) => bridgeFile(intent, b)), ...intent.vlans.map(vlanFile), ...routeFiles(intent)],
    removes: [],
  };
}

/**
 * EL network-scripts with linux bridges. cloud0 is not written: with linux bridges the
 * CloudStack agent creates it itself (reference: "handled by CloudStack").
 */
export function renderElNetworkScriptsLinux(intent: HostNetworkIntent): RenderedConfig {
  return {
    target: 'el-network-scripts-linux',
    ...renderPlan(elNetworkScriptsLinuxFiles(intent)),
    undoSteps: [],
    steps: [{ name: 'network-restart', argv: ['service', 'network', 'restart'], phase: 'activate' }],
  };
}
