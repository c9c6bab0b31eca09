import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectPermanent, thrown } from '../../../test/support/error-expectations';
import { SshEndpoints, SshEndpointsError } from './ssh-endpoints';

const host = { id: 'uuid-1', name: 'kvm1', ipAddress: '192.168.100.20' };

function file(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'endpoints-')), 'ssh-endpoints.yaml');
  writeFileSync(path, content);
  return path;
}

describe('SshEndpoints', () => {
  it('prefers the endpoints file (by name, id or CloudStack IP) over the CloudStack address', () => {
    const endpoints = SshEndpoints.load(
      file('defaults: { user: ops }\nhosts:\n  kvm1: { address: 127.0.0.1, port: 2201 }\n  192.168.100.21: { address: ::1, port: 2202, user: root }\n'),
      'root',
    );
    expect(endpoints.resolve(host)).toEqual({ host: '127.0.0.1', port: 2201, user: 'ops', source: 'endpoints-file' });
    expect(endpoints.resolve({ ...host, name: 'kvm2', ipAddress: '192.168.100.21' })).toEqual({
      host: '::1',
      port: 2202,
      user: 'root',
      source: 'endpoints-file',
    });
    expect(endpoints.resolve({ ...host, name: 'kvm3', ipAddress: '192.168.100.22' }).source).toBe('cloudstack-address');
  });

  it.each([
    ['hosts:\n  kvm1: { address: "1.2.3.4; reboot" }\n', /hosts.kvm1.address: must be an IP/],
    ['hosts:\n  kvm1: { address: 127.0.0.1, port: 70000 }\n', /hosts.kvm1.port/],
    ['hosts:\n  kvm1: { address: 127.0.0.1, user: "root -oProxyCommand=x" }\n', /hosts.kvm1.user: must be a POSIX user name/],
    ['hosts:\n  kvm1: { address: 127.0.0.1, pasword: x }\n', /Unrecognized key/],
  ])('rejects %j naming the field', (content, message) => {
    expect(() => SshEndpoints.load(file(content), 'root')).toThrow(message);
  });

  it('refuses a CloudStack address that is not an address', () => {
    expect(() => new SshEndpoints({ hosts: {} }, 'root').resolve({ ...host, ipAddress: '$(id)' })).toThrow(
      /add it to HOSTNET_SSH_ENDPOINTS/,
    );
  });

  it('raises a permanent SshEndpointsError: retrying a job cannot fix the file or the address', () => {
    const errors = [
      () => SshEndpoints.load(file('hosts:\n  kvm1: { address: 127.0.0.1, port: 70000 }\n'), 'root'),
      () => SshEndpoints.load(file('hosts: [unclosed\n'), 'root'),
      () => new SshEndpoints({ hosts: {} }, 'root').resolve({ ...host, ipAddress: '$(id)' }),
    ].map(thrown);
    for (const error of errors) expectPermanent(error, SshEndpointsError);
    expect(errors[1]!.message).toMatch(/^HOSTNET_SSH_ENDPOINTS .*: cannot read YAML/);
  });
});

describe('SshEndpoints reload', () => {
  it('picks up hosts added to the file after start, without a restart', () => {
    const path = file('hosts:\n  kvm1: { address: 127.0.0.1, port: 2201 }\n');
    const endpoints = SshEndpoints.load(path, 'root');
    expect(endpoints.resolve({ ...host, name: 'kvm9', ipAddress: '192.168.100.29' }).source).toBe('cloudstack-address');
    writeFileSync(path, 'hosts:\n  kvm1: { address: 127.0.0.1, port: 2201 }\n  kvm9: { address: 127.0.0.1, port: 2209 }\n');
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    expect(endpoints.resolve({ ...host, name: 'kvm9', ipAddress: '192.168.100.29' })).toMatchObject({ port: 2209, source: 'endpoints-file' });
  });
});
