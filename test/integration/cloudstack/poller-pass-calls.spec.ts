import { EnabledByCloudStackRecorder } from '../../../apps/api/src/poller/enabled-by-cloudstack.recorder';
import { CloudStackClient, ZoneTopologyService, type KvmHost, type ZoneNetworkTopology } from '@hostnet/cloudstack';
import { profileSetFromObject } from '@hostnet/intent';
import { HostSpecService, TopologyCache } from '@hostnet/host-spec';
import { CloudStackSimulator, parseSimulatorTopology } from '../../../apps/simulator/src/cloudstack';
import type { ApiConfig } from '../../../apps/api/src/api-config';
import type { HostStatusRepository } from '../../../apps/api/src/hosts/host-status.repository';
import type { HostStatusRecord } from '../../../apps/api/src/hosts/host-status.types';
import type { EnabledSightings } from '../../../apps/api/src/runs/enabled-sightings';
import type { LostRunFinder } from '../../../apps/api/src/poller/lost-runs';
import { HostPollerService } from '../../../apps/api/src/poller/host-poller.service';
import { WatchedZones } from '../../../apps/api/src/poller/watched-zones';
import type { HostTriggerService, TriggerOptions } from '../../../apps/api/src/triggers/host-trigger.service';

const API_KEY = 'sim-api-key';
const SECRET = 'sim-secret-key';
const TTL_MS = 300_000;

/** 1,203 Enabled, Up hosts over 3 pods of one cluster each (401 hosts in a /22 per pod). */
function bigZone() {
  const pod = (n: number) => ({
    name: `pod${n}`,
    gateway: `10.20.${n * 4}.1`,
    netmask: '255.255.252.0',
    clusters: [{ name: `cluster${n}`, hostTemplate: { count: 401, namePrefix: `kvm-${n}-`, ipStart: `10.20.${n * 4}.10` } }],
  });
  return parseSimulatorTopology({
    zones: [
      {
        name: 'big',
        dns1: '8.8.8.8',
        pods: [pod(0), pod(1), pod(2)],
        physicalNetworks: [
          { name: 'physnet1', vlan: '500-999', trafficTypes: [{ type: 'Management', kvmNetworkLabel: 'cloudbr0' }, { type: 'Guest', kvmNetworkLabel: 'cloudbr0' }] },
          { name: 'physnet2', trafficTypes: [{ type: 'Public', kvmNetworkLabel: 'cloudbr1' }] },
        ],
      },
    ],
  });
}

const PROFILES = {
  version: 1,
  profiles: {
    kvm: {
      backend: 'linux',
      networks: [
        { match: { physicalNetwork: 'physnet1' }, bond: { name: 'bond0', members: ['eth0', 'eth1'], mode: 'active-backup', miimon: 100 } },
        { match: { physicalNetwork: 'physnet2' }, bond: { name: 'bond1', members: ['eth2', 'eth3'], mode: 'active-backup', miimon: 100 } },
      ],
    },
  },
  selectors: [{ profile: 'kvm' }],
};

describe('a poller pass on a 1,203-host zone against the CloudStack simulator', () => {
  let sim: CloudStackSimulator;
  let clock: number;
  let client: CloudStackClient;
  let poller: HostPollerService;
  let topologies: TopologyCache;
  /** The topology each pass handed the trigger, and the hosts it asked for. */
  let triggered: { topology: ZoneNetworkTopology; host: KvmHost; options: TriggerOptions }[];

  const passCalls = async (zone = 'big') => {
    sim.calls.clear();
    triggered = [];
    const summary = await poller.pollZone(zone);
    const byCommand: Record<string, number> = {};
    for (const call of sim.calls.all()) byCommand[call.command] = (byCommand[call.command] ?? 0) + 1;
    return { summary, byCommand };
  };
  const publicLabel = () => triggered[0]!.topology.physicalNetworks.flatMap((n) => n.trafficTypes).find((t) => t.trafficType === 'Public')?.kvmNetworkLabel;

  beforeAll(async () => {
    sim = await CloudStackSimulator.start({ topology: bigZone(), apiKey: API_KEY, secretKey: SECRET });
  });
  afterAll(async () => sim?.stop());

  beforeEach(() => {
    clock = 0;
    client = new CloudStackClient({ url: sim.url, apiKey: API_KEY, secretKey: SECRET, retries: { attempts: 1 } });
    const config = { POLL_ZONES: '', POLL_INTERVAL_MS: 30_000, CLOUDSTACK_TOPOLOGY_TTL_MS: TTL_MS } as ApiConfig;
    topologies = new TopologyCache(new ZoneTopologyService(client), { maxAgeMs: 15_000, staticMaxAgeMs: TTL_MS }, () => clock);
    // What api would hold by the next pass (a dry-run done, an apply queued), dated before any listing.
    const recorded = new Map<string, HostStatusRecord>();
    const specs = new HostSpecService(profileSetFromObject(PROFILES, 'poller-pass-calls'));
    const statuses = { briefMany: async (ids: string[]) => ids.map((id) => recorded.get(id)), claimOnce: async () => true };
    const triggers = {
      triggerInTopology: async (topology: ZoneNetworkTopology, host: KvmHost, options: TriggerOptions) => {
        triggered.push({ topology, host, options });
        recorded.set(host.id, { hostId: host.id, hostName: host.name, zoneId: host.zoneId, phase: options.mode === 'dry-run' ? 'dry-run' : 'queued', specHash: specs.specFor(topology, host.id).specHash, at: new Date(0).toISOString() });
        return { hostId: host.id, hostName: host.name, enqueued: false, skipped: 'recorded by the test' };
      },
    };
    poller = new HostPollerService(
      config,
      new WatchedZones(config, client, () => clock),
      topologies,
      specs,
      statuses as unknown as HostStatusRepository,
      triggers as unknown as HostTriggerService,
      { record: async () => false } as unknown as EnabledByCloudStackRecorder,
      { note: async () => undefined } as unknown as EnabledSightings,
      // the runs it queued are in flight: what a lost run costs is Redis's, never CloudStack's
      { find: async () => new Map() } as unknown as LostRunFinder,
    );
  });

  it('reads the whole zone once, then only listHosts pages: 3 calls a pass at pagesize 500', async () => {
    const first = await passCalls();
    expect(first.byCommand).toEqual({
      listZones: 1, listPods: 1, listClusters: 1, listHosts: 3, listPhysicalNetworks: 1, listTrafficTypes: 2, listStorageNetworkIpRange: 1, listCapabilities: 1,
    });
    expect(first.summary.hosts).toBe(1203);
    // Every host was decided on a valid spec: new Enabled hosts get a drift-only dry-run.
    expect(new Set(triggered.map((t) => t.options.mode))).toEqual(new Set(['dry-run']));
    expect(triggered).toHaveLength(1203);

    clock = TTL_MS - 1;
    const steady = await passCalls();
    expect(steady.byCommand).toEqual({ listHosts: 3 });
    expect(sim.calls.of('listHosts').map((c) => c.params['pagesize'])).toEqual(['500', '500', '500']);
    expect(steady.summary).toMatchObject({ hosts: 1203, skipped: 1203 });
  }, 60_000);

  it('lists the zones to watch once per TTL when POLL_ZONES is empty', async () => {
    sim.calls.clear();
    await poller.pollAll();
    clock = 40_000;
    await poller.pollAll();
    expect(sim.calls.count('listZones')).toBe(2); // the zone list once, the zone's topology once
    expect(sim.calls.count('listHosts')).toBe(6);
  }, 60_000);

  it('sees a host changing state on the next pass, a new host (and its new cluster) at once, a label change after the TTL', async () => {
    await passCalls();
    const [someone] = sim.state.hosts;
    someone!.resourceState = 'Disabled';
    sim.state.trafficTypes.find((t) => t.trafficType === 'Public')!.kvmNetworkLabel = 'cloudbr7';
    const changed = await passCalls();
    // A host to configure: its run is derived from the whole zone read again, so it has the new label.
    expect(changed.byCommand).toEqual({
      listZones: 1, listPods: 1, listClusters: 1, listHosts: 6, listPhysicalNetworks: 1, listTrafficTypes: 2, listStorageNetworkIpRange: 1, listCapabilities: 1,
    });
    expect(triggered.map((t) => [t.host.id, t.options.mode])).toEqual([[someone!.id, 'apply']]);
    expect(publicLabel()).toBe('cloudbr7');

    const pod = sim.state.pods[0]!;
    const cluster = { ...sim.state.clusters[0]!, id: 'c-new', name: 'cluster-new', podId: pod.id };
    sim.state.clusters.push(cluster);
    sim.state.addHostRecord({ name: 'kvm-new', ipAddress: '10.20.3.250', cluster: 'cluster-new' });
    const grown = await passCalls();
    // The pages that showed the new host, then the whole zone again.
    expect(grown.byCommand).toEqual({
      listZones: 1, listPods: 1, listClusters: 1, listHosts: 6, listPhysicalNetworks: 1, listTrafficTypes: 2, listStorageNetworkIpRange: 1, listCapabilities: 1,
    });
    expect(grown.summary.hosts).toBe(1204);
    expect(triggered[0]!.topology.clusters.map((c) => c.name)).toContain('cluster-new');

    // With nothing to configure, a label change is read once the kept part of the zone is TTL old.
    const kept = (await topologies.withFreshHosts('big')).topology;
    sim.state.trafficTypes.find((t) => t.trafficType === 'Public')!.kvmNetworkLabel = 'cloudbr5';
    clock += TTL_MS - 1;
    const label = async () => (await topologies.withFreshHosts('big')).topology.physicalNetworks.flatMap((n) => n.trafficTypes).find((t) => t.trafficType === 'Public')?.kvmNetworkLabel;
    expect((await passCalls()).byCommand).toEqual({ listHosts: 3 });
    expect(kept.hosts).toHaveLength(1204);
    await expect(label()).resolves.toBe('cloudbr7');
    clock += 1;
    expect((await passCalls()).byCommand).toMatchObject({ listTrafficTypes: 2 });
    await expect(label()).resolves.toBe('cloudbr5');
  }, 60_000);
});
