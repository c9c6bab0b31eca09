import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import type { HostSpecService, TopologyCache } from '@hostnet/host-spec';
import { buildZone } from '../../../../libs/relabel/test-support/zone-builder';
import { dropPrefix } from '../../../../test/support/redis-dump';
import type { HostStatusRepository } from '../hosts/host-status.repository';
import type { HostJobEnqueuer } from '../jobs/host-job.enqueuer';
import { RelabelHolds } from '../relabels/relabel-holds';
import { RelabelZoneLock } from '../relabels/relabel-zone-lock';
import type { ClusterResolver } from './cluster-resolver';
import type { HostResolver } from './host-resolver';
import { HostTriggerService } from './host-trigger.service';

describe('HostTriggerService in a zone a relabel rollout holds', () => {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `hostnet-trigger-zone-spec-${randomBytes(4).toString('hex')}`;
  const zone = buildZone({ clusterSizes: [2] });
  const specFor = jest.fn(() => {
    throw new Error('no spec is derived in a held zone');
  });
  const triggers = new HostTriggerService(
    {} as TopologyCache,
    { specFor } as unknown as HostSpecService,
    {} as HostJobEnqueuer,
    {} as HostStatusRepository,
    new RelabelHolds(redis, prefix),
    {} as ClusterResolver,
    {} as HostResolver,
  );
  const options = { mode: 'apply' as const, force: false, trigger: { kind: 'add-host' as const } };

  afterAll(async () => {
    await dropPrefix(redis, prefix);
    await redis.quit();
  });

  it('refuses add-host (409, naming the rollout) while the zone lock is taken, so no host joins unplanned', async () => {
    await new RelabelZoneLock(redis, prefix).acquire(zone.zone.id, 'rollout-1', async () => false);
    const pending = { name: 'kvm9', ipAddress: '10.1.0.99', podId: zone.pods[0]!.id, clusterId: zone.clusters[0]!.id };
    const result = await triggers.triggerPendingHost(zone, pending, options);
    expect(result).toMatchObject({ enqueued: false, conflict: true });
    expect(result.skipped).toMatch(/^zone zone1 is being re-labelled by rollout rollout-1: no host of it is run or added until the rollout ends \(GET \/relabels\/rollout-1\)/);
    expect(specFor).not.toHaveBeenCalled();
  });
});
