import type { BondIntent, BridgeIntent, HostNetworkIntent, NicIntent } from '@hostnet/intent/domain/host-network-intent';
import { prefixToNetmask } from '@hostnet/intent/validation/ipv4.validator';
import { type FilePlan, type PlannedFile, renderPlan } from '../domain/file-plan';
import type { ApplyStep, RenderedConfig } from '../domain/rendered-config';
import type { RenderOptions } from '../domain/render-options';
import { ovsBondSettings } from '../format/bond-options';
import { bondMtuRequest, bridgeMtuRequest, nicMtuRequest, ovsExtraValue } from '../format/ovs-mtu';
import { type LinkPort, linkPorts } from '../format/intent-lookups';
import { shellVars, textFile } from '../format/text-file';
import { dnsVars, ifcfgPath, NETWORK_SCRIPTS_DIR, routeFiles } from './el-network-scripts-linux.renderer';
import { renderOvsLiveSteps, splinterArgv } from './ovs-live-steps';

type Vars = Array<readonly [string, string | number | undefined]>;

/** initscripts' global settings; the default gateway lives here, as in the reference. */
export const SYSCONFIG_NETWORK_PATH = '/etc/sysconfig/network';
/** Script the reference appends to ifup-ovs so splinter settings survive reboots and restarts. */
export const SPLINTERS_HOOK_PATH = '/sbin/ifup-localovs';
/** Fixed (no intent data) and idempotent: appends the reference's three hook lines once. */
const HOOK_SCRIPT =
  `f=${NETWORK_SCRIPTS_DIR}/ifup-ovs; grep -q '${SPLINTERS_HOOK_PATH}' "$f" || ` +
  `printf '%s\\n' 'if [ -x ${SPLINTERS_HOOK_PATH} ]; then' '${SPLINTERS_HOOK_PATH}' 'fi' >> "$f"`;

function ifcfg(name: string, vars: () => Vars): PlannedFile {
  return { path: ifcfgPath(name), content: () => textFile(shellVars(vars())), mode: 0o644 };
}

/** OVS_EXTRA: ifup-ovs appends it to its add-br / add-port / add-bond after `--`, so OVS itself keeps the MTU. */
const ovsExtra = (commands: string[][]): Vars => {
  const value = ovsExtraValue(commands);
  return value === undefined ? [] : [['OVS_EXTRA', `"${value}"`]];
};

/** MTU= is ifup-eth's (it runs for every NIC, members included); a port's OVS_EXTRA also pins it in OVS. */
function nicFile(nic: NicIntent): PlannedFile {
  return ifcfg(nic.name, () => {
    // Bond members carry no OVS keys: the OVSBond's BOND_IFACES brings them up.
    const ownPort = nic.bond === undefined && nic.bridge !== undefined;
    const port: Vars = ownPort ? [['DEVICETYPE', 'ovs'], ['TYPE', 'OVSPort'], ['OVS_BRIDGE', nic.bridge]] : [];
    const mtu: Vars = [['MTU', nic.mtu], ...(ownPort ? ovsExtra(nicMtuRequest(nic)) : [])];
    return [['DEVICE', nic.name], ['ONBOOT', 'yes'], ...port, ['NM_CONTROLLED', 'no'], ['BOOTPROTO', 'none'], ['HWADDR', nic.hwaddr], ...mtu, ['HOTPLUG', 'no']];
  });
}

function bondFile(intent: HostNetworkIntent, bond: BondIntent): PlannedFile {
  return ifcfg(bond.name, () => [
    ['DEVICE', bond.name],
    ['ONBOOT', 'yes'],
    ['DEVICETYPE', 'ovs'],
    ['TYPE', 'OVSBond'],
    ['OVS_BRIDGE', bond.bridge],
    ['BOOTPROTO', 'none'],
    ['BOND_IFACES', `"${bond.members.join(' ')}"`],
    ['OVS_OPTIONS', `"${ovsBondSettings(bond).join(' ')}"`],
    ...ovsExtra(bondMtuRequest(intent, bond)),
    ['HOTPLUG', 'no'],
  ]);
}

function bridgeFile(intent: HostNetworkIntent, bridge: BridgeIntent, options: RenderOptions): PlannedFile {
  return ifcfg(bridge.name, () => bridgeVars(intent, bridge, options));
}

function bridgeVars(intent: HostNetworkIntent, bridge: BridgeIntent, options: RenderOptions): Vars {
  const ip: Vars = bridge.address ? [['IPADDR', bridge.address.address], ['NETMASK', prefixToNetmask(bridge.address.prefix)]] : [];
  const dns: Vars = dnsVars(intent, bridge);
  // ifup-ovs runs `ovs-vsctl --may-exist add-br $DEVICE $OVS_OPTIONS`: a fake bridge needs its parent and
  // tag there, or the add-br fails because the name already exists as a VLAN bridge.
  const ovsOptions: Vars = bridge.parent !== undefined ? [['OVS_OPTIONS', `"${bridge.parent} ${bridge.vlanId}"`]] : [];
  const datapath = options.ovsDatapathType && bridge.parent === undefined ? [['set', 'bridge', bridge.name, `datapath_type=${options.ovsDatapathType}`]] : [];
  const extra: Vars = ovsExtra([...datapath, ...bridgeMtuRequest(bridge)]);
  const head: Vars = [['DEVICE', bridge.name], ['ONBOOT', 'yes'], ['DEVICETYPE', 'ovs'], ['TYPE', 'OVSBridge'], ['BOOTPROTO', bridge.address ? 'static' : 'none']];
  const mtu: Vars = [['MTU', bridge.mtu]];
  if (bridge.role === 'link-local') return [...head, ['HOTPLUG', 'no'], ...ip, ...mtu, ...extra];
  return [...head, ...ip, ...dns, ...mtu, ...ovsOptions, ...extra, ['HOTPLUG', 'no']];
}

/** ifup-ovs's OVSPatchPort: `add-port $OVS_BRIDGE $DEVICE -- set Interface $DEVICE type=patch options:peer=$OVS_PATCH_PEER`. */
function patchFile(port: LinkPort): PlannedFile {
  return ifcfg(port.name, () => [
    ['DEVICE', port.name],
    ['ONBOOT', 'yes'],
    ['DEVICETYPE', 'ovs'],
    ['TYPE', 'OVSPatchPort'],
    ['OVS_BRIDGE', port.bridge],
    ['OVS_PATCH_PEER', port.peer],
    ['HOTPLUG', 'no'],
  ]);
}

function sysconfigNetwork(intent: HostNetworkIntent): PlannedFile {
  const vars = () => shellVars([
    ['NETWORKING', 'yes'],
    ['HOSTNAME', intent.fqdn ?? intent.hostname],
    ['GATEWAY', intent.defaultGateway],
    ['NETWORKING_IPV6', 'no'],
    ['IPV6INIT', 'no'],
    ['IPV6_AUTOCONF', 'no'],
  ]);
  return { path: SYSCONFIG_NETWORK_PATH, content: () => textFile(vars()), mode: 0o644 };
}

function splintersHook(intent: HostNetworkIntent): PlannedFile {
  const lines = () => ['#!/bin/sh', ...intent.nics.map((n) => splinterArgv(n.name).join(' '))];
  return { path: SPLINTERS_HOOK_PATH, content: () => textFile(lines()), mode: 0o755 };
}

/** The files renderElNetworkScriptsOvs writes, their content rendered only on demand. */
export function elNetworkScriptsOvsFiles(intent: HostNetworkIntent, options: RenderOptions = {}): FilePlan {
  const files = [
    ...intent.nics.map(nicFile),
    ...intent.bonds.map((b) => bondFile(intent, b)),
    ...intent.bridges.map((b) => bridgeFile(intent, b, options)),
    ...linkPorts(intent).map(patchFile),
    ...routeFiles(intent),
    sysconfigNetwork(intent),
    ...(intent.vlanSplinters ? [splintersHook(intent)] : []),
  ];
  return { files, removes: [] };
}

/**
 * EL network-scripts with Open vSwitch (the openvswitch package's ifup-ovs). The default
 * gateway lives in /etc/sysconfig/network, as in the reference, not on the bridge.
 */
export function renderElNetworkScriptsOvs(intent: HostNetworkIntent, options: RenderOptions = {}): RenderedConfig {
  const hook: ApplyStep[] = intent.vlanSplinters ? [{ name: 'ifup-ovs-splinters-hook', argv: ['sh', '-c', HOOK_SCRIPT], phase: 'activate' }] : [];
  return {
    target: 'el-network-scripts-ovs',
    ...renderPlan(elNetworkScriptsOvsFiles(intent, options)),
    undoSteps: [],
    steps: [...renderOvsLiveSteps(intent, options), ...hook, { name: 'network-restart', argv: ['service', 'network', 'restart'], phase: 'activate' }],
  };
}
