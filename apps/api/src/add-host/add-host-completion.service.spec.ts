import { CloudStackApiError, CloudStackNetworkError, type CloudStackClient } from '@hostnet/cloudstack';
import type { ConfigureHostJobData, PendingHost } from '@hostnet/contracts';
import type { HostEnableService } from '../jobs/host-enable.service';
import type { RelabelHolds } from '../relabels/relabel-holds';
import { AddHostCompletionService } from './add-host-completion.service';
import { AddHostCredentialsStore } from './add-host-credentials.store';
import { HostAddError } from './host-add.error';

const PENDING: PendingHost = { name: 'kvm6', ipAddress: '10.0.0.16', podId: 'p1', clusterId: 'c1' };
const REQUEST = { zoneId: 'z1', hostId: 'pending-kvm6', pendingHost: PENDING } as ConfigureHostJobData & { pendingHost: PendingHost };

function completion(addHostError: Error) {
  const credentials = new AddHostCredentialsStore();
  credentials.put(REQUEST.hostId, { username: 'root', password: 's3cret' });
  const enable = jest.fn();
  const cloudstack = { listHosts: async () => [], addHost: async () => Promise.reject(addHostError) } as unknown as CloudStackClient;
  return { service: new AddHostCompletionService(cloudstack, credentials, { enable } as unknown as HostEnableService, { zoneHeldBy: async () => undefined } as unknown as RelabelHolds), credentials, enable };
}

describe('AddHostCompletionService: a failed addHost', () => {
  it("is CloudStack's answer when it says 530: not added, not retried, its credentials spent, the fix a new POST /hosts/add", async () => {
    const { service, credentials, enable } = completion(new CloudStackApiError({ command: 'addHost', params: {}, httpStatus: 530, errorCode: 530, csErrorCode: 4250, errorText: 'Failed to add host' }));
    const error = await service.complete(REQUEST).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostAddError);
    expect(error).toMatchObject({ permanent: true, message: 'CloudStack addHost failed with HTTP 530 (cserrorcode 4250): Failed to add host' });
    expect((error as HostAddError).fix).toMatch(/re-send POST \/hosts\/add \(hostnet add-host\)$/);
    expect(enable).not.toHaveBeenCalled();
    expect(credentials.take(REQUEST.hostId)).toBeUndefined();
  });

  it('is retried when CloudStack gave no answer, keeping the credentials for the retry', async () => {
    const { service, credentials } = completion(new CloudStackNetworkError({ command: 'addHost', params: {}, timedOut: false, code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }));
    await expect(service.complete(REQUEST)).rejects.toMatchObject({ permanent: false });
    expect(credentials.take(REQUEST.hostId)).toEqual({ username: 'root', password: 's3cret' });
  });
});

describe('AddHostCompletionService in a zone a relabel rollout started to hold after the add began', () => {
  it('does not send addHost: the host would join on the old label only, outside the rollout', async () => {
    const addHost = jest.fn();
    const take = jest.fn(() => ({ username: 'root', password: 'pw' }));
    const completion = new AddHostCompletionService(
      { listHosts: async () => [], addHost } as unknown as CloudStackClient,
      { take, put: jest.fn() } as unknown as AddHostCredentialsStore,
      {} as HostEnableService,
      { zoneHeldBy: async () => 'rollout-1' } as unknown as RelabelHolds,
    );
    const request = { zoneId: 'zone-1', hostId: 'pending-10-1-0-99', pendingHost: { name: 'kvm9', ipAddress: '10.1.0.99', podId: 'pod-1', clusterId: 'cluster-1' } };
    const done = completion.complete(request as unknown as Parameters<AddHostCompletionService['complete']>[0]);
    await expect(done).rejects.toMatchObject({ permanent: true, message: expect.stringMatching(/^host kvm9 not added: its zone is being re-labelled by rollout rollout-1 .*send POST \/hosts\/add again once the rollout ended/) });
    expect(addHost).not.toHaveBeenCalled();
    expect(take).not.toHaveBeenCalled();
  });
});
