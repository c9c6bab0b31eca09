import type { BridgeIntent, HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import { isManagement, searchDomains } from './intent-lookups';
import type { KeyfileSection } from './nm-keyfile';

/** No address of its own: without these NetworkManager defaults to DHCP and IPv6 autoconf on the device. */
export const NM_NO_IP: KeyfileSection[] = [
  ['ipv4', [['method', 'disabled']]],
  ['ipv6', [['method', 'disabled']]],
];

/**
 * `[ipv4]`/`[ipv6]` of the device carrying a bridge's address: the gateway folded into address1 as
 * NetworkManager writes it, DNS only on the management bridge, the bridge's extra routes numbered.
 */
export function nmBridgeIpSections(intent: HostNetworkIntent, bridge: BridgeIntent): KeyfileSection[] {
  if (!bridge.address) return NM_NO_IP;
  const mgmt = isManagement(intent, bridge);
  const joined = (items: string[]) => (mgmt && items.length > 0 ? `${items.join(';')};` : undefined);
  const address = `${bridge.address.address}/${bridge.address.prefix}${bridge.gateway ? `,${bridge.gateway}` : ''}`;
  const routes = intent.routes.filter((r) => r.dev === bridge.name).map((r, i): [string, string] => [`route${i + 1}`, `${r.to},${r.via}`]);
  return [
    ['ipv4', [['address1', address], ['dns', joined(intent.dns.nameservers)], ['dns-search', joined(searchDomains(intent))], ['method', 'manual'], ...routes]],
    ['ipv6', [['method', 'disabled']]],
  ];
}
