import type { Server } from 'node:http';
import { fakeApi } from '../../test-support/fake-api';
import { runCli } from '../main';
import { resolveCommand, RESOLVE_USAGE } from './resolve.command';

const TOKEN = 'tok-secret-123';
const ACCEPTED = { status: 202, body: { hostId: 'h1', hostName: 'kvm1', jobId: 'resolve-h1', runId: 'run-9' } };
const RECORD = { phase: 'resolved', runId: 'run-9', trigger: { kind: 'operator', by: 'alice' }, resolve: { action: 'rollback', reason: 'timer died', outcome: { status: 'rolled-back' } } };

describe('hostnet resolve', () => {
  const servers: Server[] = [];
  afterEach(() => servers.splice(0).forEach((s) => s.close()));
  const run = async (argv: string[], env: Record<string, string | undefined> = { API_TOKEN: TOKEN }) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['resolve', ...argv], { stdout: (t) => out.push(t), stderr: (t) => err.push(t) }, {
      resolve: { run: resolveCommand({ env: () => env, pollIntervalMs: 10 }), usage: RESOLVE_USAGE },
    });
    return { code, stdout: out.join(''), stderr: err.join('') };
  };
  const api = async (reply: Parameters<typeof fakeApi>[0]) => {
    const fake = await fakeApi(reply);
    servers.push(fake.server);
    return fake;
  };

  it('posts a rollback with the token from API_TOKEN and prints the job id', async () => {
    const fake = await api(() => ACCEPTED);
    const result = await run(['--api-url', `${fake.url}/`, '--host', 'h1', '--reason', 'timer died', '--requested-by', 'alice']);

    expect(result).toEqual({ code: 0, stdout: 'resolve accepted: host kvm1 (h1) job resolve-h1 run run-9\n', stderr: '' });
    expect(fake.seen).toEqual([
      { method: 'POST', url: '/hosts/h1/resolve', authorization: `Bearer ${TOKEN}`, body: JSON.stringify({ action: 'rollback', reason: 'timer died', requestedBy: 'alice' }) },
    ]);
  });

  it("with --wait, polls the resolve's answer until the host gave it and prints it", async () => {
    let gets = 0;
    const fake = await api((req) => {
      if (req.method === 'POST') return ACCEPTED;
      gets += 1;
      if (gets <= 2) return { status: 404, body: { message: 'no answer yet for resolve run run-9 of host h1' } };
      return { status: 200, body: RECORD };
    });
    const result = await run(['--api-url', fake.url, '--host', 'h1', '--reason', 'timer died', '--wait']);

    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[1]).toBe('resolved: rolled-back');
    expect(fake.seen.filter((s) => s.method === 'GET').map((s) => s.url)).toEqual(['/hosts/h1/resolves/run-9', '/hosts/h1/resolves/run-9', '/hosts/h1/resolves/run-9']);
    // --json: the whole record
    const json = await run(['--api-url', fake.url, '--host', 'h1', '--reason', 'timer died', '--wait', '--json']);
    // stdout is the record alone (| jq), the acknowledgement on stderr
    expect(JSON.parse(json.stdout)).toEqual(RECORD);
    expect(json.stderr).toMatch(/^resolve accepted: host /);
  });

  it("exits non-zero when the resolve was refused on the host", async () => {
    const refused = { ...RECORD, resolve: { ...RECORD.resolve, outcome: { status: 'refused' } } };
    const fake = await api((req) => (req.method === 'POST' ? ACCEPTED : { status: 200, body: refused }));
    expect((await run(['--api-url', fake.url, '--host', 'h1', '--reason', 'timer died', '--wait'])).code).toBe(2);
  });

  it('answers "nothing to resolve" for a healthy host, exit 0', async () => {
    const nothing = { ...RECORD, resolve: { ...RECORD.resolve, outcome: { status: 'nothing-to-resolve', detail: 'run job-1 is applied: nothing is stuck, nothing was changed' } } };
    const fake = await api((req) => (req.method === 'POST' ? ACCEPTED : { status: 200, body: nothing }));
    const result = await run(['--api-url', fake.url, '--host', 'h1', '--reason', 'timer died', '--wait']);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[1]).toBe('resolved: nothing-to-resolve: run job-1 is applied: nothing is stuck, nothing was changed');
  });

  it("prints api's own message for a 409, and never the token", async () => {
    const fake = await api(() => ({ status: 409, body: { statusCode: 409, message: 'host h1 has a run in flight (apply, run r1, job host-h1)' } }));
    const result = await run(['--api-url', fake.url, '--host', 'h1', '--reason', 'timer died']);

    expect(result.code).toBe(2);
    expect(result.stderr).toBe('hostnet resolve: POST /hosts/h1/resolve answered 409: host h1 has a run in flight (apply, run r1, job host-h1)\n');
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
  });

  it.each([
    [[], { API_TOKEN: TOKEN }, /--host is required: the CloudStack id of the host/],
    [['--host', 'h', '--reason', 'r r r'], { API_TOKEN: TOKEN, HOSTNET_API_URL: 'http://u:p@127.0.0.1:9' }, /HOSTNET_API_URL must not carry credentials/],
    [['--api-url', 'ftp://x', '--host', 'h', '--reason', 'r r r'], { API_TOKEN: TOKEN }, /--api-url "ftp:\/\/x" must start with http:\/\/ or https:\/\//],
    [['--api-url', 'http://127.0.0.1:9', '--host', 'h'], { API_TOKEN: TOKEN }, /--reason is required: why the run is stuck/],
    [['--api-url', 'http://127.0.0.1:9', '--host', 'h', '--reason', 'r r r'], {}, /API_TOKEN is not set: export the api token \(it is never a flag/],
    [['--api-url', 'http://127.0.0.1:9', '--host', 'h', '--reason', 'r r r', '--token', 'x'], { API_TOKEN: TOKEN }, /--token is not a flag: export API_TOKEN instead/],
    [['--api-url', 'http://127.0.0.1:9', '--host', 'h', '--reason', 'r r r', '--wait=yes'], { API_TOKEN: TOKEN }, /--wait takes no value/],
    [['--api-url', 'http://127.0.0.1:9', '--host', 'h', '--reason', "stuck'; reboot by Jörg"], { API_TOKEN: TOKEN }, /--reason may hold ASCII letters, digits, space and \. , : ; _ @ \+ # \( \) \/ = - only \(it is written to the host's journal\); it has "'" "ö"/],
  ] as const)('refuses bad usage with a clear message (%j)', async (argv, env, message) => {
    const result = await run([...argv], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('(usage: hostnet resolve [--api-url URL]');
  });
});
