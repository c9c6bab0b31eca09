import { SimulatedZone } from '@hostnet/simulator/environment/simulated-zone';
import { KvmHostThreads, type ThreadedKvmHost } from '@hostnet/simulator/kvm-host';
import { applyBegins } from '../support/apply-journals';
import { serveIpc } from './ipc-child';
import type { BenchCall, BenchZoneOptions, ZoneCounters, ZoneStarted } from './zone-process';

/**
 * Child side of ZoneProcess: one simulated zone (CloudStack simulator + Redis on this thread, the hosts
 * spread over worker threads), answering counter reads.
 */
let zone: SimulatedZone<ThreadedKvmHost> | undefined;
let threads: KvmHostThreads | undefined;

function started(): SimulatedZone<ThreadedKvmHost> {
  if (!zone) throw new Error('the zone is not started');
  return zone;
}

serveIpc(
  {
    start: async (request) => {
      const { hostThreads, ...options } = request as BenchZoneOptions;
      const pool = (threads = KvmHostThreads.start(hostThreads));
      zone = await SimulatedZone.startWith(options, (hostOptions) => pool.startHost(hostOptions));
      const ids = new Map(zone.cloudstack.state.hosts.map((h) => [h.name, h.id]));
      const hosts = [...zone.hosts.values()].map((h) => ({ name: h.name, id: ids.get(h.name) ?? '', host: h.endpoint.host, port: h.endpoint.port, knownHostsLine: h.knownHostsLine() }));
      return { env: zone.env, zoneId: zone.cloudstack.state.zones[0]!.id, hosts, spawnerPids: pool.spawnerPids() } satisfies ZoneStarted;
    },
    counters: async (): Promise<ZoneCounters> => {
      const stats = await threads!.stats();
      const hosts = [...started().hosts.keys()].map((name) => stats.get(name)!);
      return { connections: hosts.map((h) => h.connections), execs: hosts.map((h) => h.execs) };
    },
    // only what the figures read: the command, whether it named one host, and what an updateHost set its allocation state to
    calls: (): BenchCall[] => started()
        .cloudstack.calls.all()
        .map((c): BenchCall => ({ command: c.command, params: pick(c.params, ['id', 'allocationstate']), atMs: c.at.getTime() })),
    applyBegins: (): number[] => [...started().hosts.values()].map((h) => applyBegins(h.rootDir)),
    clearCalls: () => started().cloudstack.calls.clear(),
  },
  async () => {
    await zone?.stop();
    await threads?.stop();
  },
);

function pick(params: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(names.filter((n) => params[n] !== undefined).map((n) => [n, params[n]!]));
}

