import { HostnetError, isPermanentError } from '@hostnet/contracts';
import {
  HostKeyMismatchError,
  HostKeyUnknownError,
  SshAuthError,
  SshCommandTimeoutError,
  SshConnectTimeoutError,
  SshConnectionLostError,
  SshKeyFileError,
  SshUnreachableError,
  type SshError,
} from './ssh-errors';

const HOST = 'kvm1 (127.0.0.1:2222)';

describe('SSH errors carry their retry decision', () => {
  const cases: [string, SshError, boolean][] = [
    ['auth refused', new SshAuthError(`authentication refused by ${HOST}`, HOST), true],
    ['unreadable key file', new SshKeyFileError('cannot read the SSH private key file /k for kvm1 (ENOENT)', HOST), true],
    ['host key mismatch', new HostKeyMismatchError(HOST, ['SHA256:old'], 'SHA256:new', '/etc/hostnet/known_hosts'), true],
    ['unknown host key', new HostKeyUnknownError(HOST, 'SHA256:new', '/etc/hostnet/known_hosts'), true],
    ['connect timeout', new SshConnectTimeoutError(`no SSH session with ${HOST} within 3000 ms`, HOST), false],
    ['connection refused', new SshUnreachableError(`cannot connect to ${HOST}: ECONNREFUSED`, HOST), false],
    ['connection reset', new SshConnectionLostError(`connection to ${HOST} was reset`, HOST), false],
    ['command timeout', new SshCommandTimeoutError(`command on ${HOST} ran past 5000 ms`, HOST), false],
  ];

  it.each(cases)('%s → permanent=%s, a HostnetError naming the host', (_, error, permanent) => {
    expect(error).toBeInstanceOf(HostnetError);
    expect(error.permanent).toBe(permanent);
    expect(isPermanentError(error)).toBe(permanent);
    expect(error.host).toBe(HOST);
    expect(error.message).toContain('kvm1');
    expect(error.name).toBe(error.constructor.name);
  });

  it('a host key mismatch names both fingerprints, the file and the fix', () => {
    const error = new HostKeyMismatchError(HOST, ['SHA256:old'], 'SHA256:new', '/etc/hostnet/known_hosts');
    expect(error.message).toMatch(/known_hosts \(\/etc\/hostnet\/known_hosts\) pins SHA256:old but the host presented SHA256:new/);
    expect(error.message).toMatch(/remove its entry/);
  });

  it('an unknown host key names the file and both ways to fix it', () => {
    const error = new HostKeyUnknownError(HOST, 'SHA256:new', '/etc/hostnet/known_hosts');
    expect(error.message).toMatch(/not in known_hosts \(\/etc\/hostnet\/known_hosts\); it presented SHA256:new/);
    expect(error.message).toMatch(/Add its key to the file or enable trust on first use/);
  });
});
