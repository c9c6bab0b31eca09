import { ConflictException } from '@nestjs/common';
import { pendingHostId } from '@hostnet/host-spec';
import { latestByIdOrName } from './host-record.lookup';
import type { HostStatusRepository } from './host-status.repository';
import type { HostStatusRecord } from './host-status.types';

const record = (hostId: string, hostName: string, phase: string): HostStatusRecord => ({ hostId, hostName, zoneId: 'z1', phase, at: '2026-12-07T10:00:00Z' }) as unknown as HostStatusRecord;
const repo = (records: HostStatusRecord[]) => ({ latest: async (id: string) => records.find((r) => r.hostId === id), all: async () => records }) as unknown as HostStatusRepository;

describe('latestByIdOrName', () => {
  it("answers a name with the host CloudStack added, over an earlier add attempt's pending record", async () => {
    const records = [record(pendingHostId('192.168.100.26'), 'kvm6', 'failed'), record('uuid-6', 'kvm6', 'enabled')];
    await expect(latestByIdOrName(repo(records), 'kvm6')).resolves.toMatchObject({ hostId: 'uuid-6' });
    await expect(latestByIdOrName(repo(records), pendingHostId('192.168.100.26'))).resolves.toMatchObject({ phase: 'failed' });
  });

  it('still asks for an id when two added hosts share the name', async () => {
    const records = [record('uuid-6', 'kvm6', 'enabled'), record('uuid-7', 'kvm6', 'enabled')];
    await expect(latestByIdOrName(repo(records), 'kvm6')).rejects.toBeInstanceOf(ConflictException);
  });
});
