import { HostSpecService } from '@hostnet/host-spec';
import { loadReferenceExample } from '../../../../libs/intent/test-support/reference-examples';
import type { TopologyCache } from '@hostnet/host-spec';
import type { HostTriggerService } from '../triggers/host-trigger.service';
import type { AddHostCredentialsStore } from './add-host-credentials.store';
import { AddHostRefusedError } from './add-host.refusal';
import { AddHostService } from './add-host.service';

describe('AddHostService', () => {
  const reference = loadReferenceExample('el7-linux-bridge');
  const { topology } = reference;
  const profileSet = { ...reference.profileSet, hosts: { ...reference.profileSet.hosts, kvm6: { storageAddress: '10.0.100.26' } } };
  const request = { zoneId: topology.zone.name, podId: 'pod1', clusterId: 'cluster1', name: 'kvm6', ipAddress: '192.168.100.26', username: 'root', password: 'pw' };

  function service() {
    const triggerPendingHost = jest.fn().mockResolvedValue({ hostId: 'pending-192-168-100-26', hostName: 'kvm6', enqueued: true });
    const put = jest.fn();
    const adds = new AddHostService(
      { get: async () => topology } as unknown as TopologyCache,
      { triggerPendingHost } as unknown as HostTriggerService,
      { put } as unknown as AddHostCredentialsStore,
      new HostSpecService(profileSet),
    );
    return { adds, triggerPendingHost, put };
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
    );
    const refusal = adds.add(request, { kind: 'add-host' });
    await expect(refusal).rejects.toThrow(/^host kvm6 not added, nothing recorded: hosts\.kvm6\.storageAddress: is missing .*; fix: set hosts\.kvm6\.storageAddress/);
    await expect(refusal).rejects.not.toThrow(/topology\.hosts\[|pending-/);
    expect(triggerPendingHost).not.toHaveBeenCalled();
  });
});
