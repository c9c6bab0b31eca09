import { SimulatedZone, type SimulatedZoneOptions } from '@hostnet/simulator/environment/simulated-zone';
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
      const hosts = [...zone.hosts.values()].map((h) => ({ name: h.name, host: h.endpoint.host, port: h.endpoint.port, knownHostsLine: h.knownHostsLine() }));
      return { env: zone.env, zoneId: zone.cloudstack.state.zones[0]!.id, hosts } satisfies ZoneStarted;
    },
    counters: (): ZoneCounters => {
      const hosts = [...started().hosts.values()];
      return { connections: hosts.map((h) => h.stats.connections), execs: hosts.map((h) => h.stats.execs) };
    },
    // only what the figures read: the command and whether it named one host
    calls: (): BenchCall[] => started()
        .cloudstack.calls.all()
        .map((c): BenchCall => ({ command: c.command, params: c.params['id'] ? { id: c.params['id'] } : {} })),
    clearCalls: () => started().cloudstack.calls.clear(),
  },
  async () => zone?.stop(),
);
