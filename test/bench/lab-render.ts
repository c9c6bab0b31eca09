import { CloudStackClient, ZoneTopologyService } from '@hostnet/cloudstack';
import { buildHostIntent, parseProfileSet } from '@hostnet/intent';
import { renderHost, type RenderedConfig, type RenderTargetId } from '@hostnet/render';
import { CloudStackSimulator, loadSimulatorTopology } from '@hostnet/simulator/cloudstack';
import { randomBytes } from 'node:crypto';

/**
 * What hostnet renders for each lab host, for the Ansible baseline: the lab's CloudStack seed served by
 * a simulator on loopback, the zone topology read through hostnet's own client, each host's intent from
 * the same profiles, rendered for the target hostnet chose on that host (netdev OVS datapath, as in the lab).
 */
export async function renderLabHosts(input: {
  topologyPath: string;
  profilesYaml: string;
  targets: Record<string, RenderTargetId>;
}): Promise<Record<string, RenderedConfig>> {
  const apiKey = randomBytes(16).toString('hex');
  const secretKey = randomBytes(16).toString('hex');
  const sim = await CloudStackSimulator.start({ topology: await loadSimulatorTopology(input.topologyPath), apiKey, secretKey });
  try {
    const client = new CloudStackClient({ url: sim.url, apiKey, secretKey });
    const zoneId = sim.state.zones[0]!.id;
    const topology = await new ZoneTopologyService(client).getTopology(zoneId, { requireKvmHosts: true });
    const profileSet = parseProfileSet(input.profilesYaml, 'lab profiles');
    const out: Record<string, RenderedConfig> = {};
    for (const [name, target] of Object.entries(input.targets)) {
      const host = topology.hosts.find((h) => h.name === name);
      if (!host) throw new Error(`lab host ${name} is not in the lab topology`);
      const intent = buildHostIntent({ topology, hostId: host.id, profileSet });
      out[name] = renderHost(intent, target, { ovsDatapathType: 'netdev' });
    }
    return out;
  } finally {
    await sim.stop();
  }
}
