import type { HostNetworkIntent } from '../domain/host-network-intent';
import type { LiveAddress, LiveLink, LiveRoute, LiveState } from '../domain/live-state';
import { compareNatural } from '../builder/natural-order';

/**
 * What verification should find running once an intent is applied: every link with its kind,
 * master, members and VLAN, the addresses on bridges, the default route via the management bridge
 * and the intent's extra routes. Links the agent
 * adds later (vnetN, brbond0-200) are not part of it. Pure.
 */
export function expectedLiveState(intent: HostNetworkIntent): LiveState {
  const ovs = intent.backend === 'ovs';
  const links: LiveLink[] = [];
  for (const nic of intent.nics) {
    const master = nic.bond ?? nic.bridge;
    links.push({ name: nic.name, kind: 'nic', ...(master ? { master } : {}), up: true });
  }
  for (const bond of intent.bonds) {
    links.push({
      name: bond.name,
      kind: ovs ? 'ovs-bond' : 'bond',
      members: [...bond.members].sort(compareNatural),
      ...(bond.bridge ? { master: bond.bridge } : {}),
      up: true,
    });
  }
  for (const vlan of intent.vlans) {
    links.push({ name: vlan.name, kind: 'vlan', parent: vlan.parent, vlanId: vlan.vlanId, ...(vlan.bridge ? { master: vlan.bridge } : {}), up: true });
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
