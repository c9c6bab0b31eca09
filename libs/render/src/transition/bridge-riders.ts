import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveState } from '@hostnet/intent/domain/live-state';

/** What rides on a running bridge: its addresses (the management path among them) and the ports that are not the intent's (VM taps, the agent's devices). */
export function bridgeRiders(bridge: string, live: LiveState, intent: HostNetworkIntent): { addresses: string[]; ports: string[] } {
  const own = new Set([...intent.nics, ...intent.bonds, ...intent.vlans].map((d) => d.name));
  return {
    addresses: live.addresses.filter((a) => a.dev === bridge).map((a) => `${a.address}/${a.prefix}`),
    ports: live.links.filter((l) => l.master === bridge && !own.has(l.name)).map((l) => l.name),
  };
}

/** `bridge cloudbr0 (address 192.0.2.10/24; ports vnet0)`. */
export function describeBridge(bridge: string, live: LiveState, intent: HostNetworkIntent): string {
  const { addresses, ports } = bridgeRiders(bridge, live, intent);
  const notes = [...(addresses.length > 0 ? [`address ${addresses.join(', ')}`] : []), ...(ports.length > 0 ? [`ports ${ports.join(', ')}`] : [])];
  return `bridge ${bridge}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
}
