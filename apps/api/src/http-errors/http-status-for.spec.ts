import { AmbiguousZoneError, CloudStackApiError, CloudStackNetworkError, CloudStackValidationError, NoKvmHostsError, ZoneNotFoundError } from '@hostnet/cloudstack';
import { ProfileLoadError } from '@hostnet/intent';
import { AmbiguousTargetError, TargetNotFoundError } from '../triggers/target-errors';
import { clientErrorAnswer, upstreamErrorStatus } from './http-status-for';

describe('clientErrorAnswer', () => {
  it.each([
    ['an unknown host/cluster', new TargetNotFoundError('no such cluster', true), 404],
    ['an unknown zone', new ZoneNotFoundError('Nowhere', ['EU']), 404],
    ['a zone without KVM hosts', new NoKvmHostsError('z1', 'EU'), 404],
    ['an ambiguous cluster name', new AmbiguousTargetError('cluster', 'shared', [{ id: 'a', name: 'shared' }]), 409],
    ['an ambiguous zone name', new AmbiguousZoneError('EU', ['z1', 'z2']), 409],
    ['a request refused before it was sent', new CloudStackValidationError('zoneId', 'must be a CloudStack id'), 400],
    ['an invalid profile file', new ProfileLoadError('/etc/p.yaml', [{ path: 'profiles.p1', message: 'bad' }]), 422],
  ])('answers %s with its 4xx', (_what, error, status) => {
    expect(clientErrorAnswer(error)?.status).toBe(status);
  });

  it('lists the candidates of an ambiguous zone name', () => {
    expect(clientErrorAnswer(new AmbiguousZoneError('EU', ['z1', 'z2']))?.candidates).toEqual([
      { id: 'z1', name: 'EU' },
      { id: 'z2', name: 'EU' },
    ]);
  });

  it.each([
    ['CloudStack unreachable', new CloudStackNetworkError({ command: 'listHosts', params: {}, timedOut: true, message: 'timeout' })],
    ['an HTTP 404 from CloudStack itself (a wrong CLOUDSTACK_URL)', new CloudStackApiError({ command: 'listHosts', params: {}, httpStatus: 404, errorText: 'Not Found' })],
    ['a key pair CloudStack refuses', new CloudStackApiError({ command: 'listZones', params: {}, httpStatus: 401, errorText: 'unable to verify user credentials and/or request signature' })],
  ])('answers %s, not the client\'s doing, as CloudStack\'s: a 502', (_what, error) => {
    expect(clientErrorAnswer(error)).toBeUndefined();
    expect(upstreamErrorStatus(error)).toBe(502);
  });

  it('leaves an error that is not hostnet\'s to the 500 handler', () => {
    expect(clientErrorAnswer(new Error('redis down'))).toBeUndefined();
    expect(upstreamErrorStatus(new Error('redis down'))).toBeUndefined();
  });
});
