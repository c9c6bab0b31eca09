import type { Queue } from 'bullmq';
import { CloudStackApiError, type CloudStackClient } from '@hostnet/cloudstack';
import type { ResolveHostJobData } from '@hostnet/contracts';
import type { HostRunSpecRepository } from '@hostnet/platform';
import { clientErrorAnswer } from '../http-errors/http-status-for';
import type { HostRunRegistry } from '../runs/host-run.registry';
import type { InFlightRunChecker } from '../runs/in-flight-run.checker';
import { TargetNotFoundError } from '../triggers/target-errors';
import { HostResolveRequester } from './host-resolve.requester';

const refused = (errorText: string) =>
  new CloudStackApiError({ command: 'listHosts', params: {}, httpStatus: 431, errorCode: 431, csErrorCode: 4350, errorText });
const UNKNOWN_ID = 'Unable to execute API command listhosts due to invalid value. Invalid parameter id value=nope due to incorrect long value format, or entity does not exist';
const OTHER_PARAMETER = 'Unable to execute API command listhosts due to invalid value. Invalid parameter zoneid value=nope due to incorrect long value format, or entity does not exist';

describe('HostResolveRequester', () => {
  const requester = (listHosts: () => Promise<unknown[]>) =>
    new HostResolveRequester(
      { listHosts } as unknown as CloudStackClient,
      {} as Queue<ResolveHostJobData>,
      {} as HostRunRegistry,
      {} as InFlightRunChecker,
      {} as HostRunSpecRepository,
    );
  const request = { action: 'rollback' as const, reason: 'stuck' };

  it('answers an id CloudStack says names nothing, or no host at all, with TargetNotFoundError (a 404)', async () => {
    for (const listHosts of [() => Promise.reject(refused(UNKNOWN_ID)), () => Promise.resolve([])]) {
      const error = await requester(listHosts).request('nope', request).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TargetNotFoundError);
      expect((error as Error).message).toBe('no KVM host with id nope in CloudStack');
      expect(clientErrorAnswer(error)).toEqual({ status: 404 });
    }
  });

  it('passes any other CloudStack refusal on unchanged', async () => {
    const other = refused(OTHER_PARAMETER);
    await expect(requester(() => Promise.reject(other)).request('nope', request)).rejects.toBe(other);
  });
});
