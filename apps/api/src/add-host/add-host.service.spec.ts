import { HostSpecService } from '@hostnet/host-spec';
import { loadReferenceExample } from '../../../../libs/intent/test-support/reference-examples';
import type { TopologyCache } from '@hostnet/host-spec';
import type { HostTriggerService } from '../triggers/host-trigger.service';
import type { AddHostCredentialsStore } from './add-host-credentials.store';
import { AddHostRefusedError } from './add-host.refusal';
import { AddHostService, HostAlreadyExistsError } from './add-host.service';
import type { HostStatusRepository } from '../hosts/host-status.repository';
import type { HostStatusRecord } from '../hosts/host-status.types';

describe('AddHostService', () => {
  const reference = loadReferenceExample('el7-linux-bridge');
  const { topology } = reference;
  const profileSet = { ...reference.profileSet, hosts: { ...reference.profileSet.hosts, kvm6: { storageAddress: '10.0.100.26' } } };
  const request = { zoneId: topology.zone.name, podId: 'pod1', clusterId: 'cluster1', name: 'kvm6', ipAddress: '192.168.100.26', username: 'root', password: 'pw' };

  function service(records: HostStatusRecord[] = []) {
    const triggerPendingHost = jest.fn().mockResolvedValue({ hostId: 'pending-192-168-100-26', hostName: 'kvm6', enqueued: true });
    const put = jest.fn();
    const discardAddRecord = jest.fn();
    const adds = new AddHostService(
      { get: async () => topology } as unknown as TopologyCache,
      { triggerPendingHost } as unknown as HostTriggerService,
      { put } as unknown as AddHostCredentialsStore,
      new HostSpecService(profileSet),
      { all: async () => records, discardAddRecord } as unknown as HostStatusRepository,
    );
    return { adds, triggerPendingHost, put, discardAddRecord };
  }

  it('starts the run of a host whose address is in its pod', async () => {
    const { adds, triggerPendingHost, put } = service();
    await expect(adds.add(request, { kind: 'add-host' })).resolves.toMatchObject({ enqueued: true });
    expect(triggerPendingHost).toHaveBeenCalledTimes(1);
    expect(put).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['outside the pod subnet', '10.9.9.9', /^host kvm6 not added, nothing recorded: body\.ipAddress: "10\.9\.9\.9" is outside pod pod1's management subnet 192\.168\.100\.0\/24; fix: give the address the host will have in pod pod1's management subnet 192\.168\.100\.0\/24 \(gateway 192\.168\.100\.1\)/],
    ['the pod gateway', '192.168.100.1', /body\.ipAddress: "192\.168\.100\.1" is pod pod1's gateway; fix: /],
    ['the broadcast address', '192.168.100.255', /body\.ipAddress: "192\.168\.100\.255" is the network or broadcast address .*; fix: /],
  ])('refuses an address %s, naming body.ipAddress, before recording or enqueuing anything', async (_case, ipAddress, message) => {
    const { adds, triggerPendingHost, put } = service();
    const refusal = adds.add({ ...request, ipAddress }, { kind: 'add-host' });
    await expect(refusal).rejects.toBeInstanceOf(AddHostRefusedError);
    await expect(refusal).rejects.toThrow(message);
    await expect(refusal).rejects.not.toThrow(/topology\.hosts|in CloudStack/);
    expect(triggerPendingHost).not.toHaveBeenCalled();
    expect(put).not.toHaveBeenCalled();
  });

  it('passes on a refusal the derivation gives, without the pending id or the topology path', async () => {
    const { triggerPendingHost } = service();
    const adds = new AddHostService(
      { get: async () => topology } as unknown as TopologyCache,
      { triggerPendingHost } as unknown as HostTriggerService,
      { put: jest.fn() } as unknown as AddHostCredentialsStore,
      new HostSpecService(reference.profileSet), // no storage address for kvm6
      { all: async () => [] } as unknown as HostStatusRepository,
    );
    const refusal = adds.add(request, { kind: 'add-host' });
    await expect(refusal).rejects.toThrow(/^host kvm6 not added, nothing recorded: hosts\.kvm6\.storageAddress: is missing .*; fix: set hosts\.kvm6\.storageAddress/);
    await expect(refusal).rejects.not.toThrow(/topology\.hosts\[|pending-/);
    expect(triggerPendingHost).not.toHaveBeenCalled();
  });

  describe('another add of the same name, for another address', () => {
    const earlier = (phase: HostStatusRecord['phase']): HostStatusRecord => ({ hostId: 'pending-192-168-100-99', hostName: 'kvm6', zoneId: 'z1', phase, at: '2026-12-07T00:00:00Z' });

    it('is refused with 409 while it still runs, naming its record and what to do, before anything is recorded', async () => {
      const { adds, triggerPendingHost, put } = service([earlier('applying')]);
      const refusal = adds.add(request, { kind: 'add-host' });
      await expect(refusal).rejects.toBeInstanceOf(HostAlreadyExistsError);
      await expect(refusal).rejects.toThrow(
        'host kvm6 (192.168.100.26) not added: a POST /hosts/add of kvm6 for another address is still running as pending-192-168-100-99 (applying since 2026-12-07T00:00:00Z); fix: wait for it to end (hostnet host --host pending-192-168-100-99)',
      );
      expect(triggerPendingHost).not.toHaveBeenCalled();
      expect(put).not.toHaveBeenCalled();
    });

    it('is replaced once it failed: its record is discarded when this add starts, so no two kvm6 are listed', async () => {
      const { adds, triggerPendingHost, discardAddRecord } = service([earlier('failed'), { ...earlier('failed'), hostId: 'pending-192-168-100-27', hostName: 'kvm7' }]);
      await expect(adds.add(request, { kind: 'add-host' })).resolves.toMatchObject({ enqueued: true });
      expect(triggerPendingHost).toHaveBeenCalledTimes(1);
      expect(discardAddRecord.mock.calls).toEqual([['pending-192-168-100-99']]);
    });
  });
});
