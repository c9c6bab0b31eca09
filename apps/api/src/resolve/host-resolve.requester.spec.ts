import type { Queue } from 'bullmq';
import { CloudStackApiError, type CloudStackClient } from '@hostnet/cloudstack';
import type { ResolveHostJobData } from '@hostnet/contracts';
import type { HostRunSpecRepository } from '@hostnet/platform';
import { clientErrorAnswer } from '../http-errors/http-status-for';
import type { HostRunRegistry } from '../runs/host-run.registry';
import type { InFlightRunChecker } from '../runs/in-flight-run.checker';
import { HostResolver } from '../triggers/host-resolver';
import { AmbiguousTargetError, TargetNotFoundError } from '../triggers/target-errors';
import { HostResolveRequester } from './host-resolve.requester';

const refused = (errorText: string) =>
  new CloudStackApiError({ command: 'listHosts', params: {}, httpStatus: 431, errorCode: 431, csErrorCode: 4350, errorText });
const UNKNOWN_ID = 'Unable to execute API command listhosts due to invalid value. Invalid parameter id value=nope due to incorrect long value format, or entity does not exist';
const OTHER_PARAMETER = 'Unable to execute API command listhosts due to invalid value. Invalid parameter zoneid value=nope due to incorrect long value format, or entity does not exist';

describe('HostResolveRequester', () => {
  const requester = (listHosts: (filter: { id?: string }) => Promise<unknown[]>) =>
    new HostResolveRequester(
      new HostResolver({ listHosts } as unknown as CloudStackClient),
      {} as Queue<ResolveHostJobData>,
      {} as HostRunRegistry,
      {} as InFlightRunChecker,
      {} as HostRunSpecRepository,
    );
  const request = { action: 'rollback' as const, reason: 'stuck' };

  const ID = '8a1a0000-0000-4000-8000-000000000001';
  const kvm = (id: string, name: string, zoneId = 'z1') => ({ id, name, zoneId });

  it('answers an id CloudStack says names nothing, an id of a host that is not KVM, or a name no host has, with TargetNotFoundError (a 404)', async () => {
    const dead = '8a1a0000-0000-4000-8000-00000000dead';
    const cases = [
      [() => Promise.reject(refused(UNKNOWN_ID)), dead, `CloudStack has no host with id ${dead}`, true],
      [() => Promise.resolve([]), dead, `no KVM host with id ${dead} in CloudStack`, false],
      [() => Promise.resolve([kvm(ID, 'kvm1')]), 'nope', 'CloudStack has no KVM host with id or name "nope"', true],
    ] as const;
    for (const [listHosts, asked, message, unknown] of cases) {
      const error = await requester(listHosts).request(asked, request).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TargetNotFoundError);
      expect(error).toMatchObject({ message, unknownToCloudStack: unknown });
      expect(clientErrorAnswer(error)).toEqual({ status: 404 });
    }
  });

  it('finds a host by name (exact, then any case), and refuses a name held in several zones with the ids', async () => {
    const hosts = [kvm(ID, 'kvm1'), kvm('id-2', 'KVM2'), kvm('id-3', 'dup', 'z1'), kvm('id-4', 'dup', 'z2')];
    const resolver = new HostResolver({ listHosts: async ({ id }: { id?: string }) => (id ? hosts.filter((h) => h.id === id) : hosts) } as unknown as CloudStackClient);
    await expect(resolver.resolve(ID)).resolves.toMatchObject({ name: 'kvm1' });
    await expect(resolver.resolve('kvm1')).resolves.toMatchObject({ id: ID });
    await expect(resolver.resolve('kvm2')).resolves.toMatchObject({ id: 'id-2' });
    const error = await resolver.resolve('dup').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AmbiguousTargetError);
    expect((error as Error).message).toBe('host name "dup" matches 2 hosts: id-3 (zone z1), id-4 (zone z2); pass the host id instead');
  });

  it('passes any other CloudStack refusal on unchanged', async () => {
    const other = refused(OTHER_PARAMETER);
    await expect(requester(() => Promise.reject(other)).request(ID, request)).rejects.toBe(other);
  });
});
