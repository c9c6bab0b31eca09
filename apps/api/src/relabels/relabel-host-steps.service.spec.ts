import { TopologyCache, type HostSpecService } from '@hostnet/host-spec';
import { buildZone } from '../../../../libs/relabel/test-support/zone-builder';
import type { HostStatusRepository } from '../hosts/host-status.repository';
import type { HostJobEnqueuer } from '../jobs/host-job.enqueuer';
import type { HostRunRegistry } from '../runs/host-run.registry';
import type { InFlightRunChecker } from '../runs/in-flight-run.checker';
import { RelabelHostStepsService } from './relabel-host-steps.service';
import type { HostSeen } from './relabel-ports';
import type { RelabelRollout } from './relabel-rollout.types';

const ZONE = buildZone({ clusterSizes: [3] });

describe('RelabelHostStepsService', () => {
  it('reads the topology through the shared cache: host steps of a wave cost one discovery, not one per host', async () => {
    let discoveries = 0;
    const topologies = new TopologyCache({ getTopology: async () => (discoveries++, ZONE), refreshHosts: async () => ZONE }, { maxAgeMs: 10_000, staticMaxAgeMs: 10_000 });
    const specs = { specFor: () => ({ specHash: 'spec', intent: {} }) } as unknown as HostSpecService;
    let n = 0;
    const enqueuer = {
      enqueue: async (_request: unknown, _spec: unknown, beforeAdd: (run: { runId: string; jobId: string }) => Promise<void>) => {
        const run = { runId: `run-${++n}`, jobId: `host-${n}` };
        await beforeAdd(run);
        return { ...run, enqueued: true };
      },
    } as unknown as HostJobEnqueuer;
    const statuses = { record: async () => undefined } as unknown as HostStatusRepository;
    const service = new RelabelHostStepsService(topologies, specs, enqueuer, statuses, {} as HostRunRegistry, {} as InFlightRunChecker);
    const rollout = { id: 'rl-1', zoneId: ZONE.zone.id, zoneName: ZONE.zone.name, changes: [] } as unknown as RelabelRollout;

    for (const host of ZONE.hosts) {
      const started = await service.start(rollout, { hostId: host.id, hostName: host.name, clusterId: host.clusterId } as never, { purpose: 'expand', layout: 'both', restartAgent: false }, async () => undefined);
      expect(started).toMatchObject({ runId: expect.stringMatching(/^run-/) });
    }
    expect(discoveries).toBe(1);
  });

  describe('settled', () => {
    const verified = { hostId: 'host-1', hostName: 'kvm1', zoneId: ZONE.zone.id, phase: 'verified', runId: 'run-7', specHash: 'spec', reason: 'verified', relabel: { rolloutId: 'rl-1', layout: 'new', restartAgent: true }, at: '2026-12-05T00:00:00.000Z' };
    const settle = async (latest: object | undefined, runId: string, seen: HostSeen) => {
      const recorded: Record<string, unknown>[] = [];
      const statuses = { latest: async () => latest, record: async (r: Record<string, unknown>) => void recorded.push(r) } as unknown as HostStatusRepository;
      const service = new RelabelHostStepsService({} as TopologyCache, {} as HostSpecService, {} as HostJobEnqueuer, statuses, {} as HostRunRegistry, {} as InFlightRunChecker);
      await service.settled('host-1', runId, seen);
      return recorded;
    };

    it('moves the run\'s verified status on to enabled once the host is back Up and Enabled', async () => {
      const [record, ...more] = await settle(verified, 'run-7', { state: 'Up', resourceState: 'Enabled' });
      expect(more).toEqual([]);
      expect(record).toMatchObject({ hostId: 'host-1', phase: 'enabled', runId: 'run-7', specHash: 'spec', relabel: verified.relabel, reason: 'back Up and Enabled after layout new (rollout rl-1)' });
      expect(record!.at).not.toBe(verified.at);
      // a step that found nothing to change (no-op) is as settled once the host is back
      expect(await settle({ ...verified, phase: 'no-op' }, 'run-7', { state: 'Up', resourceState: 'Enabled' })).toMatchObject([{ phase: 'enabled', runId: 'run-7' }]);
    });

    it('records nothing for a host back Disabled (as it was before the rollout), another run, or a status already moved on', async () => {
      expect(await settle(verified, 'run-7', { state: 'Up', resourceState: 'Disabled' })).toEqual([]);
      expect(await settle(verified, 'run-8', { state: 'Up', resourceState: 'Enabled' })).toEqual([]);
      expect(await settle({ ...verified, phase: 'enabled' }, 'run-7', { state: 'Up', resourceState: 'Enabled' })).toEqual([]);
      expect(await settle(undefined, 'run-7', { state: 'Up', resourceState: 'Enabled' })).toEqual([]);
    });
  });
  describe('outcome of a run no longer in flight without a result', () => {
    const outcomeWith = (history: object[]) => {
      const statuses = { history: async () => history } as unknown as HostStatusRepository;
      const runs = { current: async () => undefined } as unknown as HostRunRegistry;
      return new RelabelHostStepsService({} as TopologyCache, {} as HostSpecService, {} as HostJobEnqueuer, statuses, runs, {} as InFlightRunChecker).outcome('host-1', 'run-7');
    };

    it('a run no worker took up (only queued: the api stopped between the claim and the job) is lost and changed nothing', async () => {
      await expect(outcomeWith([{ hostId: 'host-1', runId: 'run-7', phase: 'queued' }])).resolves.toMatchObject({ ok: false, runStatus: 'lost', unchanged: true, reason: expect.stringMatching(/never reached a worker/) });
      await expect(outcomeWith([])).resolves.toMatchObject({ runStatus: 'lost', unchanged: true });
    });

    it('a run a worker started is lost without that claim: it may have changed the host', async () => {
      const lost = await outcomeWith([{ hostId: 'host-1', runId: 'run-7', phase: 'applying' }, { hostId: 'host-1', runId: 'run-7', phase: 'queued' }]);
      expect(lost).toMatchObject({ ok: false, runStatus: 'lost' });
      expect(lost?.unchanged).toBeUndefined();
    });
  });
});
