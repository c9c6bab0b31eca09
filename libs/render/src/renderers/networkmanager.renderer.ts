import type { BondIntent, BridgeIntent, HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import { usesLacpRate, usesXmitHash } from '@hostnet/intent/validation/bond-options.validator';
import { type FilePlan, type PlannedFile, renderPlan } from '../domain/file-plan';
import type { ApplyStep, RenderedConfig } from '../domain/rendered-config';
import { isManagement, linkPorts, searchDomains } from '../format/intent-lookups';
import { stableUuid } from '../format/stable-uuid';
import { textFile } from '../format/text-file';

/** Where NetworkManager's keyfile plugin reads connection profiles. */
export const NM_CONNECTIONS_DIR = '/etc/NetworkManager/system-connections';

/** A profile's keyfile, named after its id (on networkmanager-linux the interface's name; OVS ids come from nmOvsId). */
export const nmKeyfilePath = (id: string): string => `${NM_CONNECTIONS_DIR}/${id}.nmconnection`;

/**
 * `nmcli connection up uuid U` of a profile hostnet wrote: an id is not unique in NetworkManager (an in-memory
 * or another owner's profile with the same id would make `up id` pick either), the uuid hostnet wrote is.
 */
export const nmUpStep = (name: string, uuid: string): ApplyStep => ({ name: `nmcli-up-${name}`, argv: ['nmcli', 'connection', 'up', 'uuid', uuid], phase: 'activate' });

type Section = [name: string, keys: Array<[string, string | number | undefined]>];

function keyfile(sections: Section[]): string {
  const blocks = sections
    .map(([name, keys]) => [name, keys.filter(([, v]) => v !== undefined)] as const)
    .filter(([name, keys]) => name === 'connection' || keys.length > 0)
    .map(([name, keys]) => [`[${name}]`, ...keys.map(([k, v]) => `${k}=${v}`)].join('\n'));
  return textFile(blocks.join('\n\n').split('\n'));
}

/**
 * Keys are written in the order NetworkManager itself writes them (gateway folded into address1,
 * bond options sorted), so a profile NM rewrites stays byte-identical and the diff stays empty.
 * `master`/`slave-type` rather than 1.46's `controller`/`port-type`: EL 8's NetworkManager
 * (1.40) knows only the old names, and newer versions still read them.
 */
function connection(intent: HostNetworkIntent, name: string, type: string, controller?: { name: string; kind: 'bond' | 'bridge' }, isController = false): Section {
  return [
    'connection',
    [
      ['id', name],
      ['uuid', stableUuid(intent.hostId, name)],
      ['type', type],
      ['autoconnect-slaves', isController ? 1 : undefined],
      ['interface-name', name],
      ['master', controller?.name],
      ['slave-type', controller?.kind],
    ],
  ];
}

const ethernetMtu = (mtu: number | undefined): Section => ['ethernet', [['mtu', mtu]]];

/** No address of its own: without these NetworkManager defaults to DHCP and IPv6 autoconf on the device. */
const NO_IP: Section[] = [['ipv4', [['method', 'disabled']]], ['ipv6', [['method', 'disabled']]]];
/** A port takes no addresses (NetworkManager ignores IP settings on it); anything else must say it has none. */
const noIpUnlessPort = (controller: unknown): Section[] => (controller ? [] : NO_IP);

function ipSections(intent: HostNetworkIntent, br: BridgeIntent): Section[] {
  if (!br.address) return NO_IP;
  const mgmt = isManagement(intent, br);
  const dns = mgmt && intent.dns.nameservers.length > 0 ? `${intent.dns.nameservers.join(';')};` : undefined;
  const search = mgmt && searchDomains(intent).length > 0 ? `${searchDomains(intent).join(';')};` : undefined;
  const routes: Array<[string, string]> = intent.routes
    .filter((r) => r.dev === br.name)
    .map((r, i) => [`route${i + 1}`, `${r.to},${r.via}`]);
  return [
    [
      'ipv4',
      [['address1', `${br.address.address}/${br.address.prefix}${br.gateway ? `,${br.gateway}` : ''}`], ['dns', dns], ['dns-search', search], ['method', 'manual'], ...routes],
    ],
    ['ipv6', [['method', 'disabled']]],
  ];
}

function file(name: string, content: () => string): PlannedFile {
  return { path: nmKeyfilePath(name), content, mode: 0o600 };
}

function bondOptions(bond: BondIntent): Array<[string, string | number | undefined]> {
  return [
    ['lacp_rate', bond.lacpRate && usesLacpRate(bond.mode) ? bond.lacpRate : undefined],
    ['miimon', bond.miimon],
    ['mode', bond.mode],
    ['xmit_hash_policy', bond.xmitHashPolicy && usesXmitHash(bond.mode) ? bond.xmitHashPolicy : undefined],
  ];
}

/** cloud0 is left to the CloudStack agent. */
const managedBridges = (intent: HostNetworkIntent): BridgeIntent[] => intent.bridges.filter((b) => b.role !== 'link-local');

/** The keyfiles renderNetworkManager writes, their content rendered only on demand. */
export function networkManagerFiles(intent: HostNetworkIntent): FilePlan {
  const files: PlannedFile[] = [];
  for (const nic of intent.nics) {
    const controller = nic.bond ? { name: nic.bond, kind: 'bond' as const } : nic.bridge ? { name: nic.bridge, kind: 'bridge' as const } : undefined;
    const mac = nic.hwaddr ? [['mac-address', nic.hwaddr] as [string, string]] : [];
    files.push(file(nic.name, () => keyfile([connection(intent, nic.name, 'ethernet', controller), ['ethernet', [...mac, ['mtu', nic.mtu]]], ...noIpUnlessPort(controller)])));
  }
  for (const bond of intent.bonds) {
    const controller = bond.bridge ? { name: bond.bridge, kind: 'bridge' as const } : undefined;
    files.push(file(bond.name, () => keyfile([connection(intent, bond.name, 'bond', controller, true), ethernetMtu(bond.mtu), ['bond', bondOptions(bond)], ...noIpUnlessPort(controller)])));
  }
  for (const vlan of intent.vlans) {
    const controller = vlan.bridge ? { name: vlan.bridge, kind: 'bridge' as const } : undefined;
    // flags=1 (reorder headers) is NM's default; written because NM writes it.
    files.push(file(vlan.name, () => keyfile([connection(intent, vlan.name, 'vlan', controller), ethernetMtu(vlan.mtu), ['vlan', [['flags', 1], ['id', vlan.vlanId], ['parent', vlan.parent]]], ...noIpUnlessPort(controller)])));
  }
  // A relabel's veth pair: one profile per end, each a port of its bridge; activating either makes the pair.
  for (const end of linkPorts(intent).filter((p) => p.kind === 'veth')) {
    files.push(file(end.name, () => keyfile([connection(intent, end.name, 'veth', { name: end.bridge, kind: 'bridge' }), ethernetMtu(end.mtu), ['veth', [['peer', end.peer]]]])));
  }
  for (const br of managedBridges(intent)) {
    const bridgeKeys: Section = ['bridge', [['forward-delay', br.forwardDelay], ['stp', String(br.stp)]]];
    files.push(file(br.name, () => keyfile([connection(intent, br.name, 'bridge', undefined, true), ethernetMtu(br.mtu), bridgeKeys, ...ipSections(intent, br)])));
  }
  return { files, removes: [] };
}

/**
 * NetworkManager keyfiles (EL 8/9 without network-scripts), linux bridges only. Connection
 * uuids derive from host id + name, so a re-render is byte-identical.
 */
export function renderNetworkManager(intent: HostNetworkIntent): RenderedConfig {
  const bridges = managedBridges(intent);
  const up = bridges.map((b) => nmUpStep(b.name, stableUuid(intent.hostId, b.name)));
  return {
    target: 'networkmanager-linux',
    ...renderPlan(networkManagerFiles(intent)),
    undoSteps: [],
    steps: [{ name: 'nmcli-reload', argv: ['nmcli', 'connection', 'reload'], phase: 'activate' }, ...up],
  };
}
