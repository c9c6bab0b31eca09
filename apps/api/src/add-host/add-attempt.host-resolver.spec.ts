import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import type { CloudStackClient, KvmHost } from '@hostnet/cloudstack';
import { dropPrefix } from '../../../../test/support/redis-dump';
import { HostStatusRepository } from '../hosts/host-status.repository';
import { TargetNotFoundError } from '../triggers/target-errors';
import { AddAttemptHostResolver } from './add-attempt.host-resolver';

describe('AddAttemptHostResolver: a 404 for a name only a POST /hosts/add knows says what became of the add (real Redis)', () => {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `hostnet-add-attempt-spec-${randomBytes(4).toString('hex')}`;
  const statuses = new HostStatusRepository(redis, prefix);
  const kvm1 = { id: 'h1', name: 'kvm1' } as KvmHost;
  const cloudstack = { listHosts: async () => [kvm1] } as unknown as CloudStackClient;
  const resolver = new AddAttemptHostResolver(cloudstack, statuses);
  const pending = 'pending-192-168-100-26';

  afterAll(async () => {
    await dropPrefix(redis, prefix);
    await redis.quit();
  });

  it('a failed add: when, why and to send the add again; a name nobody knows keeps the plain 404', async () => {
    await statuses.record({ hostId: pending, hostName: 'kvm6', zoneId: 'z1', phase: 'queued', at: '2026-12-07T10:00:00.000Z' });
    await statuses.record({ hostId: pending, hostName: 'kvm6', zoneId: 'z1', phase: 'failed', reason: 'ssh: 127.0.0.1:2206 refused the connection\nfix: check sshd', at: '2026-12-07T10:00:05.000Z' });
    const refused = resolver.resolve('KVM6');
    await expect(refused).rejects.toThrow(TargetNotFoundError);
    await expect(resolver.resolve('kvm6')).rejects.toThrow(
      `CloudStack has no KVM host with id or name "kvm6"; hostnet's only record of it is a POST /hosts/add (as ${pending}) that failed at 2026-12-07T10:00:05.000Z (ssh: 127.0.0.1:2206 refused the connection fix: check sshd); fix what that names, then send POST /hosts/add again (the record is replaced, or expires 7 days after it)`,
    );
    await expect(resolver.resolve('kvm9')).rejects.toThrow(/^CloudStack has no KVM host with id or name "kvm9"$/);
    await expect(resolver.resolve('kvm1')).resolves.toBe(kvm1);
  });

  it('an add still running says so, with the record to watch', async () => {
    await statuses.record({ hostId: pending, hostName: 'kvm6', zoneId: 'z1', phase: 'applying', at: '2026-12-07T11:00:00.000Z' });
    await expect(resolver.resolve('kvm6')).rejects.toThrow(`its POST /hosts/add (as ${pending}) is still running (applying since 2026-12-07T11:00:00.000Z)`);
  });
});
