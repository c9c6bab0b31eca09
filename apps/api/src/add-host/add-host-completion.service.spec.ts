import { CloudStackApiError, CloudStackNetworkError, type CloudStackClient } from '@hostnet/cloudstack';
import type { ConfigureHostJobData, PendingHost } from '@hostnet/contracts';
import type { HostEnableService } from '../jobs/host-enable.service';
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
  return { service: new AddHostCompletionService(cloudstack, credentials, { enable } as unknown as HostEnableService), credentials, enable };
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
