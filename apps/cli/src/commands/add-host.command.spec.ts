import type { Server } from 'node:http';
import { fakeApi } from '../../test-support/fake-api';
import { runCli } from '../main';
import { ADD_HOST_USAGE, addHostCommand } from './add-host.command';

const TOKEN = 'tok-123';
const PASSWORD = 'pw-secret-456';
const FLAGS = ['--zone', 'zone1', '--pod', 'pod1', '--cluster', 'cluster1', '--name', 'kvm21', '--ip', '192.168.100.21', '--username', 'root'];

describe('hostnet add-host', () => {
  const servers: Server[] = [];
  afterEach(() => servers.splice(0).forEach((s) => s.close()));
  const run = async (reply: Parameters<typeof fakeApi>[0], argv: string[], env: Record<string, string> = { API_TOKEN: TOKEN, HOSTNET_HOST_PASSWORD: PASSWORD }) => {
    const fake = await fakeApi(reply);
    servers.push(fake.server);
    const out: string[] = [];
    const err: string[] = [];
    const commands = { 'add-host': { run: addHostCommand(() => env), usage: ADD_HOST_USAGE } };
    const code = await runCli(['add-host', ...argv, '--api-url', fake.url], { stdout: (t) => out.push(t), stderr: (t) => err.push(t) }, commands);
    return { code, stdout: out.join(''), stderr: err.join(''), seen: fake.seen };
  };

  it('posts the new host to /hosts/add with the password from the environment, and prints the run queued', async () => {
    const answer = { hostId: 'pending-192-168-100-21', hostName: 'kvm21', runId: 'r1', enqueued: true };
    const r = await run(() => ({ status: 202, body: answer }), [...FLAGS, '--requested-by', 'alice']);
    expect(r).toMatchObject({ code: 0, stdout: 'kvm21: add queued, run r1 (hostnet host --host pending-192-168-100-21 shows its result)\n', stderr: '' });
    expect(r.seen).toEqual([{
      method: 'POST', url: '/hosts/add', authorization: `Bearer ${TOKEN}`,
      body: JSON.stringify({ zoneId: 'zone1', podId: 'pod1', clusterId: 'cluster1', name: 'kvm21', ipAddress: '192.168.100.21', username: 'root', password: PASSWORD, requestedBy: 'alice' }),
    }]);
  });

  it('a host CloudStack already has (409) is one line, exit 2', async () => {
    const r = await run(() => ({ status: 409, body: { statusCode: 409, message: 'CloudStack already has host 192.168.100.21 (kvm21, id h9)' } }), FLAGS);
    expect(r).toMatchObject({ code: 2, stdout: 'kvm21: not run: CloudStack already has host 192.168.100.21 (kvm21, id h9)\n' });
  });

  it("names the flag, not api's field, in api's 400", async () => {
    const message = ['body.ipAddress: must be the IPv4 address the host will have on the management network, as a dotted quad, e.g. 192.168.100.21'];
    const r = await run(() => ({ status: 400, body: { statusCode: 400, message } }), FLAGS);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^hostnet add-host: --ip: must be the IPv4 address the host will have on the management network/);
  });

  it.each([
    [FLAGS.slice(2), { API_TOKEN: TOKEN, HOSTNET_HOST_PASSWORD: PASSWORD }, /--zone is required: the CloudStack zone \(id or name\) the host joins/],
    [FLAGS, { API_TOKEN: TOKEN }, /HOSTNET_HOST_PASSWORD is not set: export the SSH password of --username on the new host/],
    [[...FLAGS, '--password', 'x'], { API_TOKEN: TOKEN, HOSTNET_HOST_PASSWORD: PASSWORD }, /--password is not a flag: export HOSTNET_HOST_PASSWORD instead/],
    [[...FLAGS, '--ipaddress', '10.0.0.1'], { API_TOKEN: TOKEN, HOSTNET_HOST_PASSWORD: PASSWORD }, /unknown option --ipaddress/],
  ] as const)('refuses bad usage before calling api (%j)', async (argv, env, message) => {
    const r = await run(() => ({ status: 500, body: {} }), [...argv], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.seen).toEqual([]);
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
  });
});
