import type { LiveState } from '@hostnet/intent';

/** The CloudStack KVM agent's physical-interface name patterns (LibvirtComputingResource ifNamePatterns). */
export const PIF_PATTERN = /^eth|^bond|^vlan|^vx|^em|^ens|^eno|^enp|^team|^enx|^dummy|^lo|^p\d+p\d+/;

/**
 * The pif the agent would find for a label bridge, or why it would find none. Linux: the first bridge
 * port matching PIF_PATTERN (a VLAN port resolves to its parent). OVS: the label must be an OVS bridge
 * (`ovs-vsctl br-exists`, which fake bridges satisfy too).
 */
export function findPif(live: LiveState, bridge: string, backend: 'linux' | 'ovs'): { ok: boolean; detail: string } {
  const link = live.links.find((l) => l.name === bridge);
  if (backend === 'ovs') {
    const ok = link?.kind === 'ovs-bridge' || link?.kind === 'ovs-fake-bridge';
    return { ok, detail: ok ? `${bridge} is an OVS bridge` : `${bridge} is not an OVS bridge (br-exists would fail)` };
  }
  if (!link || link.kind !== 'bridge') return { ok: false, detail: `${bridge} is not a Linux bridge` };
  const pif = linuxPif(live, bridge);
  if (pif.port === undefined) return { ok: false, detail: `no port of ${bridge} matches the agent's pif pattern (ports: ${[...(link.members ?? [])].sort().join(', ') || 'none'})` };
  if (pif.name === undefined) return { ok: false, detail: `${pif.port} is a VLAN with no parent` };
  return { ok: true, detail: pif.name === pif.port ? `pif ${pif.name}` : `pif ${pif.name} (parent of ${pif.port})` };
}

/**
 * What the agent maps a Linux bridge to at its start (BridgeVifDriver getPifs): the first port matching
 * PIF_PATTERN, a VLAN port resolved to its parent. `port` undefined: no port matches; `name` undefined: a
 * VLAN port without a parent.
 */
export function linuxPif(live: LiveState, bridge: string): { port?: string; name?: string } {
  const link = live.links.find((l) => l.name === bridge);
  const port = [...(link?.members ?? [])].sort().find((p) => PIF_PATTERN.test(p));
  if (port === undefined) return {};
  const portLink = live.links.find((l) => l.name === port);
  return { port, name: portLink?.kind === 'vlan' ? portLink.parent : port };
}
