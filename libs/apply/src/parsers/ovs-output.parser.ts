import type { LiveLink, LiveState } from '@hostnet/intent';

/**
 * Parses the facts script's OVS section (`bridge <br> <parent> <vlan>`, `port <br> <port>`,
 * `portrow <name>,<iface uuids>`, `iface <uuid>,<name>`) into OVS links.
 */
export function parseOvsSection(text: string): LiveLink[] {
  const bridges: { name: string; parent: string; vlan: number }[] = [];
  const portsOf = new Map<string, string[]>();
  const ifaceUuids = new Map<string, string[]>();
  const ifaceName = new Map<string, string>();
  for (const line of text.split('\n')) {
    const [tag, ...rest] = line.trim().split(' ');
    if (tag === 'bridge' && rest.length === 3) {
      bridges.push({ name: rest[0], parent: rest[1], vlan: Number(rest[2]) });
    } else if (tag === 'port' && rest.length === 2) {
      portsOf.set(rest[0], [...(portsOf.get(rest[0]) ?? []), rest[1]]);
    } else if (tag === 'portrow') {
      const [name, uuids = ''] = rest.join(' ').split(',');
      ifaceUuids.set(name, uuids.split(' ').filter(Boolean));
    } else if (tag === 'iface') {
      const [uuid, name] = rest.join(' ').split(',');
      if (uuid && name) ifaceName.set(uuid, name);
    }
  }
  const links: LiveLink[] = [];
  for (const br of bridges) {
    const fake = br.parent !== br.name;
    const members = (portsOf.get(br.name) ?? []).filter((p) => p !== br.name).sort();
    links.push(
      fake
        ? { name: br.name, kind: 'ovs-fake-bridge', parent: br.parent, vlanId: br.vlan, members }
        : { name: br.name, kind: 'ovs-bridge', members },
    );
    for (const port of members) {
      const ifaces = (ifaceUuids.get(port) ?? []).map((u) => ifaceName.get(u) ?? u).sort();
      if (ifaces.length > 1) {
        links.push({ name: port, kind: 'ovs-bond', master: br.name, members: ifaces });
        for (const iface of ifaces) links.push({ name: iface, kind: 'nic', master: port });
      } else {
        links.push({ name: port, kind: 'nic', master: br.name });
      }
    }
  }
  return links;
}

/** Overlays OVS links on the `ip` view: OVS knows masters and bridge kinds that `ip` cannot show. */
export function mergeOvsLinks(ip: LiveState, ovs: LiveLink[]): LiveState {
  const byName = new Map(ip.links.map((l) => [l.name, { ...l }]));
  for (const o of ovs) {
    const seen = byName.get(o.name);
    const merged: LiveLink = { ...(seen ?? {}), ...o };
    if (seen?.up !== undefined) merged.up = seen.up;
    if (o.kind === 'nic' && seen && seen.kind !== 'nic') merged.kind = seen.kind;
    byName.set(o.name, merged);
  }
  return { ...ip, links: [...byName.values()] };
}
