import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveLink, LiveState } from '@hostnet/intent/domain/live-state';
import { ovsBondSettings } from '../../src/format/bond-options';
import { bondsOf, directNicsOf, fakeBridges, realBridges } from '../../src/format/intent-lookups';

/**
 * The live state facts report once `intent` is applied on an OVS host (the shape ovs-output.parser
 * gives, settings included): the planner's tables start from it and change what a case needs.
 */
export function ovsLiveOf(intent: HostNetworkIntent, datapath = 'netdev'): LiveState {
  const links: LiveLink[] = [];
  const splinters: Record<string, string> = intent.vlanSplinters ? { 'enable-vlan-splinters': 'true' } : {};
  for (const bridge of realBridges(intent)) {
    const ports = [...bondsOf(intent, bridge.name).map((b) => b.name), ...directNicsOf(intent, bridge.name).map((n) => n.name)];
    links.push({ name: bridge.name, kind: 'ovs-bridge', members: ports.sort(), ovsDatapathType: datapath });
    for (const bond of bondsOf(intent, bridge.name)) {
      const otherConfig: Record<string, string> = {};
      let lacp: string | undefined;
      for (const word of ovsBondSettings(bond)) {
        const m = /^other_config:([^=]+)=(.*)$/.exec(word);
        if (m) otherConfig[m[1]] = m[2];
        if (word.startsWith('lacp=')) lacp = word.slice(5);
      }
      links.push({ name: bond.name, kind: 'ovs-bond', master: bridge.name, members: [...bond.members].sort(), ovsPort: { bondMode: bond.mode, ...(lacp ? { lacp } : {}), otherConfig } });
      for (const m of bond.members) links.push({ name: m, kind: 'nic', master: bond.name, ovsInterface: { type: '', otherConfig: { ...splinters } } });
    }
    for (const nic of directNicsOf(intent, bridge.name)) {
      links.push({ name: nic.name, kind: 'nic', master: bridge.name, ovsPort: { otherConfig: {} }, ovsInterface: { type: '', otherConfig: { ...splinters } } });
    }
  }
  for (const fake of fakeBridges(intent)) links.push({ name: fake.name, kind: 'ovs-fake-bridge', parent: fake.parent, vlanId: fake.vlanId, members: [] });
  return { links, addresses: [], routes: [] };
}
