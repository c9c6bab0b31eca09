import type { KvmHost, ZoneNetworkTopology } from '@hostnet/cloudstack';
import type { TopologyCache } from '@hostnet/host-spec';
import type { ApiConfig } from '../api-config';
import type { HostStatusRepository } from '../hosts/host-status.repository';
import type { HostStatusRecord } from '../hosts/host-status.types';
import type { HostRunRegistry, InFlightRun } from '../runs/host-run.registry';
import type { InFlightRunChecker } from '../runs/in-flight-run.checker';
import type { HostTriggerService, TriggerOptions } from '../triggers/host-trigger.service';
import { WatchedZones } from '../poller/watched-zones';
import { DriftCheckerService } from './drift-checker.service';

const OLD = new Date(Date.now() - 2 * 3_600_000).toISOString();

function host(id: string, resourceState: KvmHost['resourceState'] = 'Enabled'): KvmHost {
  return { id, name: id, ipAddress: '10.0.0.1', zoneId: 'z1', podId: 'p', clusterId: 'c', state: 'Up', resourceState, hypervisor: 'KVM' };
}

function setup(config: Partial<ApiConfig>, hosts: KvmHost[], runs: Record<string, InFlightRun> = {}, lost: string[] = [], hostsOnly = false) {
  const topology = { zone: { id: 'z1', name: 'zone1' }, hosts } as unknown as ZoneNetworkTopology;
  /** What a full read returns: the same hosts on the zone as CloudStack has it now. */
  const fresh = { ...topology, read: 'whole zone' } as unknown as ZoneNetworkTopology;
  const topologies = { withFreshHosts: jest.fn(async () => ({ topology, hostsOnly })), get: jest.fn(async () => fresh) };
  const triggered: { hostId: string; options: TriggerOptions }[] = [];
  const statuses = {
    latestMany: async (ids: string[]) => ids.map((id): HostStatusRecord => ({ hostId: id, hostName: id, zoneId: 'z1', phase: 'enabled', at: OLD })),
    claimOnce: async () => true,
  };
  const registry = { currentMany: async (ids: string[]) => ids.map((id) => runs[id]) };
  const checker = { stillInFlight: async (run: InFlightRun) => !lost.includes(run.runId) };
  const triggers = {
    triggerInTopology: jest.fn(async (_t: ZoneNetworkTopology, h: KvmHost, options: TriggerOptions) => {
      triggered.push({ hostId: h.id, options });
      return { hostId: h.id, hostName: h.name, enqueued: true, runId: `r-${h.id}`, jobId: `host-${h.id}` };
    }),
  };
  const service = new DriftCheckerService(
    { POLL_ZONES: 'z1', DRIFT_INTERVAL_MS: 3_600_000, DRIFT_MAX_IN_FLIGHT: 10, DRIFT_MAX_PER_PASS: 50, ...config } as ApiConfig,
    new WatchedZones({ POLL_ZONES: 'z1', CLOUDSTACK_TOPOLOGY_TTL_MS: 0, ...config }, { listZones: jest.fn() }),
    topologies as unknown as TopologyCache,
    statuses as unknown as HostStatusRepository,
    registry as unknown as HostRunRegistry,
    checker as unknown as InFlightRunChecker,
    triggers as unknown as HostTriggerService,
  );
  return { service, triggered, triggers, topologies, fresh };
}

const driftRun = (id: string): InFlightRun => ({ runId: `run-${id}`, jobId: `host-${id}`, mode: 'dry-run', specHash: 's', at: OLD, trigger: 'drift' });

describe('DriftCheckerService', () => {
  afterEach(() => jest.useRealTimers());

  it('starts read-only dry-runs with trigger kind drift for due hosts only', async () => {
    const { service, triggered } = setup({}, [host('a'), host('b', 'Disabled'), host('c')]);
    const summary = await service.checkAll();
    expect(summary.started).toEqual(['a', 'c']);
    expect(triggered.map((t) => t.options)).toEqual([
      { mode: 'dry-run', force: false, trigger: { kind: 'drift', detail: 'periodic drift check' } },
      { mode: 'dry-run', force: false, trigger: { kind: 'drift', detail: 'periodic drift check' } },
    ]);
  });

  it('checks due hosts against the whole zone read again when the pass listed only hosts, and reads nothing more when none is due', async () => {
    const due = setup({}, [host('a')], {}, [], true);
    await due.service.checkAll();
    expect(due.topologies.get).toHaveBeenCalledWith('z1', { fresh: true });
    expect(due.triggers.triggerInTopology.mock.calls[0]?.[0]).toBe(due.fresh);

    const idle = setup({}, [host('b', 'Disabled')], {}, [], true);
    await idle.service.checkAll();
    expect(idle.topologies.get).not.toHaveBeenCalled();
  });

  it('counts drift checks in flight against DRIFT_MAX_IN_FLIGHT, except lost ones', async () => {
    const hosts = [host('busy1'), host('busy2'), host('lost'), host('a'), host('b'), host('c')];
    const { service } = setup({ DRIFT_MAX_IN_FLIGHT: 3 }, hosts, { busy1: driftRun('busy1'), busy2: driftRun('busy2'), lost: driftRun('lost') }, ['run-lost']);
    const summary = await service.checkAll();
    expect(summary.inFlight).toBe(2);
    expect(summary.started).toHaveLength(1);
    expect(summary.deferred).toBe(3); // lost, a, b, c were due; one slot
  });

  it('does nothing when DRIFT_INTERVAL_MS is 0', async () => {
    jest.useFakeTimers();
    const { service, triggers } = setup({ DRIFT_INTERVAL_MS: 0 }, [host('a')]);
    service.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(10 * 60_000);
    expect(triggers.triggerInTopology).not.toHaveBeenCalled();
    await service.onModuleDestroy();
  });

  it('runs passes on its own when enabled', async () => {
    jest.useFakeTimers();
    const { service, triggers } = setup({ DRIFT_INTERVAL_MS: 5_000 }, [host('a')]);
    service.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(5_500);
    expect(triggers.triggerInTopology).toHaveBeenCalledTimes(1);
    await service.onModuleDestroy();
  });
});
