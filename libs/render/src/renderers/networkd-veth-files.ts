import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { RenderedFile } from '../domain/rendered-config';
import { type LinkPort, linkPorts, vethPairs } from '../format/intent-lookups';
import { textFile } from '../format/text-file';

/**
 * netplan before 0.107 has no veth, so a relabel's veth pair is plain systemd-networkd beside netplan's
 * own units (networkd reads /etc/systemd/network and netplan's /run/systemd/network alike); `netplan
 * apply` restarts networkd, which creates the pair and enslaves each end to its bridge.
 */
export const NETWORKD_DIR = '/etc/systemd/network';

/** The files hostnet may keep for one veth end (its `.netdev` exists only for the end that makes the pair). */
export function networkdVethPaths(end: string): string[] {
  return [`${NETWORKD_DIR}/10-hostnet-${end}.netdev`, `${NETWORKD_DIR}/10-hostnet-${end}.network`];
}

const mtuLines = (port: LinkPort) => (port.mtu === undefined ? [] : [`MTUBytes=${port.mtu}`]);

function netdev(pair: LinkPort): RenderedFile {
  const lines = ['[NetDev]', `Name=${pair.name}`, 'Kind=veth', ...mtuLines(pair), '', '[Peer]', `Name=${pair.peer}`];
  return { path: networkdVethPaths(pair.name)[0], content: textFile(lines), mode: 0o644 };
}

/** Each end a port of its bridge, as netplan writes a bridge member (no link-local address, up without carrier). */
function network(end: LinkPort): RenderedFile {
  const link = end.mtu === undefined ? [] : ['[Link]', ...mtuLines(end), ''];
  const lines = ['[Match]', `Name=${end.name}`, '', ...link, '[Network]', 'LinkLocalAddressing=no', 'ConfigureWithoutCarrier=yes', `Bridge=${end.bridge}`];
  return { path: networkdVethPaths(end.name)[1], content: textFile(lines), mode: 0o644 };
}

/** The networkd files of every veth pair of the intent (none outside a relabel's expand layout). */
export function networkdVethFiles(intent: HostNetworkIntent): RenderedFile[] {
  return [...vethPairs(intent).map(netdev), ...linkPorts(intent).filter((p) => p.kind === 'veth').map(network)];
}
