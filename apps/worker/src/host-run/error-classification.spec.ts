import { WorkflowValidationError } from '@hostnet/apply';
import { CloudStackApiError, CloudStackNetworkError } from '@hostnet/cloudstack';
import { IntentValidationError, ProfileLoadError } from '@hostnet/intent';
import { RunSpecUnavailableError } from '@hostnet/platform';
import { assumedOsFacts, renderHost, selectTarget, UnsupportedBackendError, UnsupportedHostOsError } from '@hostnet/render';
import { SshAuthError, SshConnectTimeoutError } from '@hostnet/ssh';
import { ubuntuOvsIntent } from '../../../../libs/render/test/fixtures/reference-intents';
import { thrown } from '../../../../test/support/error-expectations';
import { failureReason, isPermanentFailure } from './error-classification';

/** The class names the worker used to match by name, none of which is a class any more (or ever was). */
const OLD_NAMES = ['IntentValidationError', 'ProfileError', 'ProfileLoadError', 'UnsupportedOsError', 'RenderError', 'HostNotFoundError', 'SpecError'];

describe('isPermanentFailure', () => {
  it('is permanent for our unsupported OS and unsupported backend errors, from target selection and from render (once retried 4 times)', () => {
    const os = thrown(() => selectTarget({ ...assumedOsFacts('centos:7'), osRelease: { id: 'centos', idLike: [], versionId: '6' } }, 'linux'));
    const backend = thrown(() => selectTarget({ ...assumedOsFacts('ubuntu:22.04'), hasOpenvswitch: false }, 'ovs'));
    const wrongTarget = thrown(() => renderHost(ubuntuOvsIntent, 'debian-ifupdown-linux'));
    expect(os).toBeInstanceOf(UnsupportedHostOsError);
    expect(backend).toBeInstanceOf(UnsupportedBackendError);
    expect(wrongTarget).toBeInstanceOf(UnsupportedBackendError);
    for (const error of [os, backend, wrongTarget]) expect(isPermanentFailure(error)).toBe(true);
  });

  it('follows each class flag, whatever the class is called', () => {
    const permanent = [
      new IntentValidationError([{ field: 'f', value: 1, message: 'f: 1 is wrong; fix: 2' }]),
      new ProfileLoadError('/p.yaml', [{ path: 'profiles', message: 'is required; fix: add it' }]),
      new RunSpecUnavailableError('run spec s1 of host h1 is not in Redis'),
      new WorkflowValidationError('runId: bad'),
      new SshAuthError('authentication refused', 'kvm1'),
      new CloudStackApiError({ command: 'listHosts', params: {}, httpStatus: 431, errorText: 'bad param' }),
    ];
    const transient = [
      new SshConnectTimeoutError('no session within 3000 ms', 'kvm1'),
      new CloudStackApiError({ command: 'listHosts', params: {}, httpStatus: 503, errorText: 'down' }),
      new CloudStackNetworkError({ command: 'listHosts', params: {}, timedOut: true, message: 'timed out' }),
    ];
    for (const error of permanent) expect([error.name, isPermanentFailure(error)]).toEqual([error.name, true]);
    for (const error of transient) expect([error.name, isPermanentFailure(error)]).toEqual([error.name, false]);
  });

  it.each(OLD_NAMES)('no longer trusts the name %s on an error that is not ours', (name) => {
    const lookAlike = new Error('something failed');
    lookAlike.name = name;
    expect(isPermanentFailure(lookAlike)).toBe(false);
  });

  it('no longer reads transient, isTransient or a permanent field on foreign errors', () => {
    const foreign = [
      Object.assign(new Error('a'), { transient: false }),
      Object.assign(new Error('b'), { isTransient: false }),
      Object.assign(new Error('c'), { isTransient: () => false }),
      Object.assign(new Error('d'), { permanent: true }),
      { permanent: true },
    ];
    for (const error of foreign) expect(isPermanentFailure(error)).toBe(false);
  });

  it('treats unknown errors and non-errors as transient (attempts bound them)', () => {
    expect(isPermanentFailure(new Error('ECONNRESET'))).toBe(false);
    expect(isPermanentFailure('boom')).toBe(false);
    expect(isPermanentFailure(null)).toBe(false);
  });
});

describe('failureReason', () => {
  it('is the class name and message, capped, never a stack', () => {
    const error = new RunSpecUnavailableError('run spec s1 of host h1 is not in Redis');
    expect(failureReason(error)).toBe('RunSpecUnavailableError: run spec s1 of host h1 is not in Redis');
    expect(failureReason(new Error('x'.repeat(5000)))).toHaveLength(2000);
    expect(failureReason('plain')).toBe('plain');
  });
});
