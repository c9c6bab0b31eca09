import { SimulatedZone, type SimulatedZoneOptions } from '@hostnet/simulator/environment/simulated-zone';
import { SimulatedKvmHost } from '@hostnet/simulator/kvm-host';
import { applyBegins } from '../support/apply-journals';
import { serveIpc } from './ipc-child';
import type { BenchCall, ZoneCounters, ZoneStarted } from './zone-process';

/** Child side of ZoneProcess: one simulated zone (hosts + CloudStack simulator + Redis), answering counter reads. */
let zone: SimulatedZone | undefined;

function started(): SimulatedZone {
  if (!zone) throw new Error('the zone is not started');
  return zone;
}

serveIpc(
  {
    start: async (options) => {
      zone = await SimulatedZone.start(options as SimulatedZoneOptions);
      const ids = new Map(zone.cloudstack.state.hosts.map((h) => [h.name, h.id]));
      const hosts = [...zone.hosts.values()].map((h) => ({ name: h.name, id: ids.get(h.name) ?? '', host: h.endpoint.host, port: h.endpoint.port, knownHostsLine: h.knownHostsLine() }));
      return { env: zone.env, zoneId: zone.cloudstack.state.zones[0]!.id, hosts, spawnerPid: SimulatedKvmHost.execSpawnerPid() } satisfies ZoneStarted;
    },
    counters: (): ZoneCounters => {
      const hosts = [...started().hosts.values()];
      return { connections: hosts.map((h) => h.stats.connections), execs: hosts.map((h) => h.stats.execs) };
    },
    // only what the figures read: the command, whether it named one host, and what an updateHost set its allocation state to
    calls: (): BenchCall[] => started()
        .cloudstack.calls.all()
        .map((c): BenchCall => ({ command: c.command, params: pick(c.params, ['id', 'allocationstate']), atMs: c.at.getTime() })),
    applyBegins: (): number[] => [...started().hosts.values()].map((h) => applyBegins(h.rootDir)),
    clearCalls: () => started().cloudstack.calls.clear(),
  },
  async () => zone?.stop(),
);

function pick(params: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(names.filter((n) => params[n] !== undefined).map((n) => [n, params[n]!]));
}

