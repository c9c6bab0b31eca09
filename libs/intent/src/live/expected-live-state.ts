import type { HostNetworkIntent } from '../domain/host-network-intent';
import type { LiveAddress, LiveLink, LiveRoute, LiveState } from '../domain/live-state';
import { compareNatural } from '../builder/natural-order';
import { DEFAULT_MTU } from '../validation/mtu.validator';
import { intendedBondParams, intendedBridgeParams } from './link-params';

/**
 * The kernel MTU each Linux-bridge device of the intent must run at (none set means the default): NICs,
 * bonds and VLAN interfaces their own; a bond's members their bond's, which the kernel gives them when it
 * enslaves them and whenever the bond's changes (the intent rules refuse a member MTU of its own that differs,
 * mtu.validator.ts, so a member found at another MTU is drift like any other); a bridge its uplink's, since a Linux bridge runs at
 * its ports' MTU (the intent rules keep a bridge's own equal to it). A bridge without an uplink (a relabel's new
 * one, a veth end its only port) is not held, nor is anything the intent does not name (VM taps, the agent's
 * devices). Not on OVS: there a bond has no device and OVS sets its ports' and bridges' MTU itself
 * (mtu_request). Pure.
 */
export function intendedMtus(intent: HostNetworkIntent): Map<string, number> {
  const out = new Map<string, number>();
  if (intent.backend === 'ovs') return out;
  const bonds = new Map(intent.bonds.map((b) => [b.name, b.mtu ?? DEFAULT_MTU]));
  for (const bond of intent.bonds) out.set(bond.name, bond.mtu ?? DEFAULT_MTU);
  for (const nic of intent.nics) {
    const bondMtu = nic.bond !== undefined ? bonds.get(nic.bond) : undefined;
    out.set(nic.name, bondMtu ?? nic.mtu ?? DEFAULT_MTU);
  }
  for (const vlan of intent.vlans) out.set(vlan.name, vlan.mtu ?? DEFAULT_MTU);
  for (const bridge of intent.bridges) {
    const uplink = bridge.uplink !== undefined ? out.get(bridge.uplink) : undefined;
    if (uplink !== undefined) out.set(bridge.name, bridge.mtu ?? uplink);
  }
  return out;
}

/**
 * What verification should find running once an intent is applied: every link with its kind,
 * master, members, VLAN, (Linux bridge, intendedMtus) MTU and Linux bond and bridge parameters (link-params.ts), the addresses on bridges, the default route via the management bridge
 * and the intent's extra routes. Links the agent
 * adds later (vnetN, brbond0-200) are not part of it. Pure.
 */
export function expectedLiveState(intent: HostNetworkIntent): LiveState {
  const ovs = intent.backend === 'ovs';
  const mtus = intendedMtus(intent);
  const mtu = (name: string): Pick<LiveLink, 'mtu'> => (mtus.has(name) ? { mtu: mtus.get(name)! } : {});
  const links: LiveLink[] = [];
  for (const nic of intent.nics) {
    const master = nic.bond ?? nic.bridge;
    links.push({ name: nic.name, kind: 'nic', ...(master ? { master } : {}), ...mtu(nic.name), up: true });
  }
  for (const bond of intent.bonds) {
    links.push({
      name: bond.name,
      kind: ovs ? 'ovs-bond' : 'bond',
      members: [...bond.members].sort(compareNatural),
      ...(bond.bridge ? { master: bond.bridge } : {}),
      ...(ovs ? {} : { bond: intendedBondParams(bond) }),
      ...mtu(bond.name),
      up: true,
    });
  }
  for (const vlan of intent.vlans) {
    links.push({ name: vlan.name, kind: 'vlan', parent: vlan.parent, vlanId: vlan.vlanId, ...(vlan.bridge ? { master: vlan.bridge } : {}), ...mtu(vlan.name), up: true });
  }
  const linkEnds = (intent.links ?? []).flatMap((l) => l.ends.map((end, i) => ({ ...end, kind: l.kind, peer: l.ends[1 - i].name })));
  for (const end of linkEnds) {
    // A patch port has no kernel link (ip shows nothing, so no up/down); a veth end does.
    if (end.kind === 'veth') links.push({ name: end.name, kind: 'nic', master: end.bridge, peer: end.peer, up: true });
    else links.push({ name: end.name, kind: 'nic', master: end.bridge });
  }
  for (const bridge of intent.bridges) {
    if (bridge.parent !== undefined && bridge.vlanId !== undefined) {
      links.push({ name: bridge.name, kind: 'ovs-fake-bridge', parent: bridge.parent, vlanId: bridge.vlanId, up: true });
      continue;
    }
    const members = [...(bridge.uplink ? [bridge.uplink] : []), ...linkEnds.filter((e) => e.bridge === bridge.name).map((e) => e.name)];
    links.push({
      name: bridge.name,
      kind: ovs ? 'ovs-bridge' : 'bridge',
      ...(members.length > 0 ? { members } : {}),
      ...mtu(bridge.name),
      ...(ovs ? {} : { bridge: intendedBridgeParams(bridge) }),
      up: true,
    });
  }
  links.sort((a, b) => compareNatural(a.name, b.name));
  const addresses: LiveAddress[] = intent.bridges
    .filter((b) => b.address !== undefined)
    .map((b) => ({ dev: b.name, address: b.address!.address, prefix: b.address!.prefix }))
    .sort((a, b) => compareNatural(a.dev, b.dev));
  const routes: LiveRoute[] = [
    { to: 'default', via: intent.defaultGateway, dev: intent.managementBridge },
    ...intent.routes.map((r) => ({ to: r.to, via: r.via, dev: r.dev })),
  ];
  return { links, addresses, routes };
}
