import { HostnetError, isPermanentError } from '@hostnet/contracts';
import { AmbiguousZoneError, NoKvmHostsError, ZoneNotFoundError } from '../topology/topology-errors';
import {
  CloudStackApiError,
  CloudStackAsyncJobError,
  CloudStackAsyncTimeoutError,
  CloudStackConfigError,
  CloudStackError,
  CloudStackNetworkError,
  CloudStackProtocolError,
  CloudStackValidationError,
} from './cloudstack-error';

const apiError = (httpStatus: number) =>
  new CloudStackApiError({ command: 'updateHost', params: { id: 'h1' }, httpStatus, errorCode: httpStatus, errorText: 'answer' });

const networkError = (timedOut: boolean, code?: string) =>
  new CloudStackNetworkError({ command: 'listZones', params: {}, timedOut, code, message: 'CloudStack listZones failed' });

describe('CloudStack errors carry their retry decision', () => {
  it.each([
    [400, true],
    [401, true],
    [404, true],
    [430, true],
    [431, true],
    [429, false],
    [500, false],
    [503, false],
    [530, false],
    [531, true],
    [537, true],
  ])('HTTP %i → permanent=%s', (status, permanent) => {
    const error = apiError(status);
    expect(error).toBeInstanceOf(HostnetError);
    expect(error.permanent).toBe(permanent);
    expect(isPermanentError(error)).toBe(permanent);
    expect(error.message).toBe(`CloudStack updateHost failed with HTTP ${status}: answer${status === 401 ? '; check CLOUDSTACK_API_KEY and CLOUDSTACK_SECRET_KEY (the key pair of one root admin account)' : ''}`);
  });

  it('network failures and timeouts are transient', () => {
    expect(networkError(false, 'ECONNREFUSED')).toMatchObject({ kind: 'network', permanent: false });
    expect(networkError(true)).toMatchObject({ kind: 'timeout', permanent: false });
  });

  it('config and validation errors are permanent and name the variable or field to fix', () => {
    const config = new CloudStackConfigError('CLOUDSTACK_API_KEY', 'is missing; create an API key pair');
    expect(config).toMatchObject({ kind: 'config', permanent: true, variable: 'CLOUDSTACK_API_KEY' });
    expect(config.message).toBe('CLOUDSTACK_API_KEY: is missing; create an API key pair');
    const validation = new CloudStackValidationError('hostId', 'must be a CloudStack id (UUID), got "x"', 'updateHost');
    expect(validation).toMatchObject({ kind: 'validation', permanent: true, field: 'hostId', command: 'updateHost' });
    expect(validation.message).toBe('hostId: must be a CloudStack id (UUID), got "x"');
  });

  it('an answer we cannot read, a failed async job and an async deadline are permanent', () => {
    expect(new CloudStackProtocolError('CloudStack listZones answered with a non-object JSON body', 'listZones').permanent).toBe(true);
    const job = new CloudStackAsyncJobError({ command: 'reconnectHost', params: {}, jobId: 'j1', errorCode: 530, errorText: 'agent down' });
    expect(job.permanent).toBe(true);
    expect(job.message).toBe('CloudStack reconnectHost job j1 failed (errorcode 530): agent down');
    const timeout = new CloudStackAsyncTimeoutError('j2', 'reconnectHost', {}, 60_000);
    expect(timeout.permanent).toBe(true);
    expect(timeout.message).toMatch(/check with queryAsyncJobResult jobid=j2/);
  });

  it('zone lookups are permanent and say what exists or what to pass instead', () => {
    const missing = new ZoneNotFoundError('zone9', ['zone1']);
    expect(missing.permanent).toBe(true);
    expect(missing.message).toBe('zone "zone9" not found; known zones: "zone1"');
    const ambiguous = new AmbiguousZoneError('zone1', ['a', 'b']);
    expect(ambiguous.permanent).toBe(true);
    expect(ambiguous.message).toMatch(/pass the zone id instead/);
    expect(new NoKvmHostsError('z1', 'zone1').permanent).toBe(true);
  });

  it('an error built without a decision is permanent: only the transport knows a retry may help', () => {
    expect(new CloudStackError({ kind: 'client', message: 'x' }).permanent).toBe(true);
  });
});
