import type { BondIntent, BridgeIntent, HostNetworkIntent, NicIntent, VlanIntent } from '@hostnet/intent/domain/host-network-intent';
import { usesLacpRate, usesXmitHash } from '@hostnet/intent/validation/bond-options.validator';
import { type FilePlan, renderPlan } from '../domain/file-plan';
import type { RenderedConfig } from '../domain/rendered-config';
import type { RenderOptions } from '../domain/render-options';
import { UnsupportedBackendError } from '../domain/render-errors';
import { fakeBridges, isManagement, linkPortsOf, realBridges, searchDomains } from '../format/intent-lookups';
import { textFile } from '../format/text-file';
import { networkdVethDropIn } from './networkd-veth-dropin';
import { renderOvsLiveSteps } from './ovs-live-steps';

/** netplan reads its files in name order; 60- sorts after cloud-init's 50- so ours wins on conflicts. */
export const NETPLAN_PATH = '/etc/netplan/60-hostnet.yaml';

const YAML_11_KEYWORDS = /^(y|n|yes|no|on|off|true|false|null|~)$/i;

/** A validated name or value as a YAML scalar that can only parse as a string. */
function str(value: string): string {
  return /^[A-Za-z][A-Za-z0-9_.+-]*$/.test(value) && !YAML_11_KEYWORDS.test(value) ? value : `"${value}"`;
}

const list = (items: string[]) => `[${items.map(str).join(', ')}]`;
const indent = (n: number, lines: string[]) => lines.map((l) => `${' '.repeat(n)}${l}`);
const mtu = (value: number | undefined) => (value === undefined ? [] : [`mtu: ${value}`]);

function ethernet(nic: NicIntent): string[] {
  const match = nic.hwaddr ? ['match:', `  macaddress: ${str(nic.hwaddr.toLowerCase())}`, `set-name: ${str(nic.name)}`] : [];
  return [`${str(nic.name)}:`, ...indent(2, [...match, 'dhcp4: false', ...mtu(nic.mtu)])];
}

function bond(b: BondIntent, ovs: boolean): string[] {
  const linuxParams = ovs
    ? []
    : [
        `mii-monitor-interval: ${b.miimon}`,
        ...(b.lacpRate && usesLacpRate(b.mode) ? [`lacp-rate: ${b.lacpRate}`] : []),
        ...(b.xmitHashPolicy && usesXmitHash(b.mode) ? [`transmit-hash-policy: ${str(b.xmitHashPolicy)}`] : []),
      ];
  // netplan's OVS backend ignores mii-monitor-interval; OVS takes miimon through the Port's other-config.
  const otherConfig = [
    ...(b.lacpRate ? [`lacp-time: ${b.lacpRate}`] : []),
    ...(b.miimon > 0 ? ['bond-detect-mode: miimon', `bond-miimon-interval: "${b.miimon}"`] : []),
  ];
  const ovsKeys = ovs
    ? ['openvswitch:', ...indent(2, [...(b.lacp ? [`lacp: "${b.lacp}"`] : []), ...(otherConfig.length > 0 ? ['other-config:', ...indent(2, otherConfig)] : [])])]
    : [];
  return [
    `${str(b.name)}:`,
    ...indent(2, [`interfaces: ${list(b.members)}`, ...mtu(b.mtu), 'parameters:', ...indent(2, [`mode: ${b.mode}`, ...linuxParams]), ...ovsKeys]),
  ];
}

function ipKeys(intent: HostNetworkIntent, br: BridgeIntent): string[] {
  const addresses = br.address ? [`addresses: [${br.address.address}/${br.address.prefix}]`] : [];
  const routes = [
    ...(br.gateway ? [{ to: '0.0.0.0/0', via: br.gateway }] : []),
    ...intent.routes.filter((r) => r.dev === br.name).map((r) => ({ to: r.to, via: r.via })),
  ];
  const routeLines = routes.length > 0 ? ['routes:', ...routes.flatMap((r) => [`  - to: ${r.to}`, `    via: ${r.via}`])] : [];
  const search = searchDomains(intent);
  const dns =
    isManagement(intent, br) && (intent.dns.nameservers.length > 0 || search.length > 0)
      ? [
          'nameservers:',
          ...indent(2, [
            ...(intent.dns.nameservers.length > 0 ? [`addresses: [${intent.dns.nameservers.join(', ')}]`] : []),
            ...(search.length > 0 ? [`search: ${list(search)}`] : []),
          ]),
        ]
      : [];
  return [...addresses, ...routeLines, ...dns, ...mtu(br.mtu)];
}

function bridge(intent: HostNetworkIntent, br: BridgeIntent, ovs: boolean): string[] {
  const ports = ovs
    ? [
        ...intent.bonds.filter((b) => b.bridge === br.name).map((b) => b.name),
        ...intent.nics.filter((n) => n.bridge === br.name && !n.bond).map((n) => n.name),
        ...linkPortsOf(intent, br.name).map((p) => p.name),
      ]
    : br.uplink
      ? [br.uplink]
      : [];
  const backendKeys = ovs
    ? ['openvswitch: {}']
    : ['parameters:', ...indent(2, [`stp: ${br.stp}`, `forward-delay: ${br.forwardDelay}`])];
  return [`${str(br.name)}:`, ...indent(2, [`interfaces: ${list(ports)}`, ...ipKeys(intent, br), ...backendKeys])];
}

function vlan(v: VlanIntent): string[] {
  return [`${str(v.name)}:`, ...indent(2, [`id: ${v.vlanId}`, `link: ${str(v.parent)}`, ...mtu(v.mtu)])];
}

/** With OVS, a netplan VLAN whose link is an OVS bridge becomes a fake VLAN bridge. */
function fakeBridge(intent: HostNetworkIntent, br: BridgeIntent): string[] {
  return [`${str(br.name)}:`, ...indent(2, [`id: ${br.vlanId}`, `link: ${str(br.parent as string)}`, ...ipKeys(intent, br)])];
}

/** netplan's OVS patch ports: `openvswitch: ports: [[a, b]]`, each pair's names usable as bridge interfaces. */
function patchPairs(intent: HostNetworkIntent): string[] {
  const pairs = (intent.links ?? []).filter((l) => l.kind === 'ovs-patch').map((l) => `- ${list(l.ends.map((e) => e.name))}`);
  return pairs.length === 0 ? [] : ['openvswitch:', ...indent(2, ['ports:', ...indent(2, pairs)])];
}

function section(name: string, entries: string[][]): string[] {
  return entries.length === 0 ? [] : [`${name}:`, ...indent(2, entries.flat())];
}

/** The netplan YAML for an intent (linux bridges, or OVS through netplan's openvswitch keys). */
export function renderNetplanYaml(intent: HostNetworkIntent): string {
  const ovs = intent.backend === 'ovs';
  const body = [
    'version: 2',
    'renderer: networkd',
    ...(ovs ? patchPairs(intent) : []),
    ...section('ethernets', intent.nics.map(ethernet)),
    ...section('bonds', intent.bonds.map((b) => bond(b, ovs))),
    ...section('bridges', realBridges(intent).map((b) => bridge(intent, b, ovs))),
    ...section('vlans', [...intent.vlans.map(vlan), ...fakeBridges(intent).map((b) => fakeBridge(intent, b))]),
  ];
  return textFile(['network:', ...indent(2, body)]);
}

/**
 * A Linux bond gives its members its own MAC, and netplan matches `match: macaddress` by the MAC a NIC has now
 * before 0.106 (Ubuntu 22.04 as released: networkd's MACAddress=, which no longer finds an enslaved member, or finds
 * another) and renames by it in `netplan apply` before 1.1 ("Cannot find unique matching interface", LP: #2065870;
 * 0.106 matches PermanentMACAddress= in its files, canonical/netplan#278). Which netplan a host runs is not known
 * here, so a pinned bond member is refused. OVS bonds leave their members' MACs alone.
 */
function refusePinnedBondMembers(intent: HostNetworkIntent): void {
  const pinned = intent.nics.flatMap((nic, i) => (nic.hwaddr !== undefined && nic.bond !== undefined ? [`nics[${i}].hwaddr (${nic.name} in ${nic.bond})`] : []));
  if (intent.backend !== 'linux' || pinned.length === 0) return;
  throw new UnsupportedBackendError(
    `${pinned.join(', ')}: netplan matches a NIC's MAC by the address it has now, and a Linux bond gives every member its own: networkd would lose the member ` +
      '(netplan before 0.106) and netplan apply cannot rename it (before 1.1); fix: remove the hwaddrs of bond members from the host\'s profile (hwaddrs in its hosts: entry), ' +
      'so netplan matches them by the name they carry, or keep them on a NIC that is in no bond',
  );
}

/** The YAML must be mode 0600 or netplan warns and may refuse it. netplan-linux's veth pairs live beside it (networkdVethDropIn). */
export function netplanFiles(intent: HostNetworkIntent): FilePlan {
  refusePinnedBondMembers(intent);
  const yaml = { path: NETPLAN_PATH, content: () => renderNetplanYaml(intent), mode: 0o600 };
  if (intent.backend === 'ovs') return { files: [yaml], removes: [] };
  const veth = networkdVethDropIn(intent);
  return { files: [yaml, ...veth.files], removes: veth.removes };
}

/** netplan target (Ubuntu 18.04+). */
export function renderNetplan(intent: HostNetworkIntent, options: RenderOptions = {}): RenderedConfig {
  const ovs = intent.backend === 'ovs';
  return {
    target: ovs ? 'netplan-ovs' : 'netplan-linux',
    ...renderPlan(netplanFiles(intent)),
    undoSteps: [],
    steps: [...(ovs ? renderOvsLiveSteps(intent, options) : []), { name: 'netplan-apply', argv: ['netplan', 'apply'], phase: 'activate' }],
  };
}
