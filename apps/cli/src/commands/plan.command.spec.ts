import type { Server } from 'node:http';
import { fakeApi, type SeenRequest } from '../../test-support/fake-api';
import { runCli } from '../main';
import { PLAN_USAGE, planCommand } from './plan.command';

const TOKEN = 'tok-plan-456';
const ZONE = 'EU West ~ KVM (1)';

const dryRun = (runId: string, files: string[], live: string[]) => ({
  phase: 'dry-run',
  runId,
  outcome: { status: 'dry-run', target: 'netplan-linux', diff: { files: files.map((change, i) => ({ path: `/etc/f${i}`, change })), live } },
});

describe('hostnet plan', () => {
  const servers: Server[] = [];
  afterEach(() => servers.splice(0).forEach((s) => s.close()));
  const api = async (reply: (req: SeenRequest) => { status: number; body?: unknown; raw?: string }) => {
    const fake = await fakeApi(reply);
    servers.push(fake.server);
    return fake;
  };
  const run = async (argv: string[], env: Record<string, string | undefined> = { API_TOKEN: TOKEN }) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['plan', ...argv], { stdout: (t) => out.push(t), stderr: (t) => err.push(t) }, {
      plan: { run: planCommand({ env: () => env, pollIntervalMs: 10 }), usage: PLAN_USAGE },
    });
    return { code, stdout: out.join(''), stderr: err.join('') };
  };
  /** A zone of hosts whose GET answers come from `histories` (404 until a host has one). */
  const zoneApi = (triggered: unknown[], histories: Record<string, () => unknown[] | undefined>) =>
    api((req) => {
      if (req.method === 'POST') return { status: 202, body: triggered };
      const id = decodeURIComponent(req.url.split('/')[2] ?? '');
      const history = histories[id]?.();
      return history === undefined ? { status: 404, body: { message: `hostnet has no record of host ${id}` } } : { status: 200, body: { latest: history[0], history } };
    });

  it('exits 0 when no host would change, after waiting for the run the request started', async () => {
    let gets = 0;
    const fake = await zoneApi([{ hostId: 'h1', hostName: 'kvm1', runId: 'run-1', enqueued: true }], {
      h1: () => {
        gets += 1;
        if (gets === 1) return undefined;
        if (gets === 2) return [{ phase: 'queued', runId: 'run-1' }, dryRun('run-0', ['update'], [])];
        return [dryRun('run-1', ['same', 'same'], []), { phase: 'queued', runId: 'run-1' }, dryRun('run-0', ['update'], [])];
      },
    });
    const result = await run(['--api-url', fake.url, '--zone', ZONE, '--requested-by', 'alice']);

    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'HOST  TARGET         FILES CHANGED  LIVE DIFFERENCES  VERDICT\n' +
        'kvm1  netplan-linux  0              0                 no change\n' +
        `zone ${ZONE}: 1 host, 1 no change, 0 with changes, 0 errors\n`,
    );
    expect(fake.seen[0]).toEqual({ method: 'POST', url: `/zones/${encodeURIComponent(ZONE)}/configure`, authorization: `Bearer ${TOKEN}`, body: JSON.stringify({ dryRun: true, requestedBy: 'alice' }) });
    expect(fake.seen.slice(1).map((s) => s.url)).toEqual(['/hosts/h1', '/hosts/h1', '/hosts/h1']);
  });

  it('exits 2 when some host would change, in natural host order', async () => {
    const fake = await zoneApi(
      [
        { hostId: 'h10', hostName: 'kvm10', runId: 'r10', enqueued: true },
        { hostId: 'h2', hostName: 'kvm2', runId: 'r2', enqueued: true },
        { hostId: 'h3', hostName: 'kvm3', runId: 'r3', enqueued: true },
      ],
      {
        h10: () => [dryRun('r10', ['create', 'same', 'update'], ['cloudbr0 missing'])],
        h2: () => [{ phase: 'no-op', runId: 'r2', outcome: { status: 'no-op', target: 'ifcfg-linux' } }],
        // a dry-run's result keeps the phase its host stood in: it is read by its outcome
        h3: () => [{ ...dryRun('r3', ['same', 'update'], []), phase: 'enabled' }],
      },
    );
    const result = await run(['--api-url', fake.url, '--zone', ZONE]);

    expect(result.code).toBe(2);
    expect(result.stdout.split('\n').slice(1, 4)).toEqual([
      'kvm2   ifcfg-linux    0              0                 no change',
      'kvm3   netplan-linux  1              0                 changes',
      'kvm10  netplan-linux  2              1                 changes',
    ]);
  });

  it('--json prints the rows and exits 1 when a host failed, was refused or never answered', async () => {
    const fake = await zoneApi(
      [
        { hostId: 'h1', hostName: 'kvm1', runId: 'r1', enqueued: true },
        { hostId: 'h2', hostName: 'kvm2', enqueued: false, skipped: 'zone lint refuses a run of host h2 (1 error; ...): [duplicate-management-address] ...' },
        { hostId: 'h3', hostName: 'kvm3', runId: 'r3', enqueued: true },
        { hostId: 'h4', hostName: 'kvm4', runId: 'r4', enqueued: true },
      ],
      {
        h1: () => [{ phase: 'failed', runId: 'r1', reason: 'ssh: connect ECONNREFUSED 10.0.0.1:22' }],
        h3: () => [{ phase: 'queued', runId: 'r3' }],
        h4: () => [dryRun('r4', [], [])],
      },
    );
    const result = await run(['--api-url', fake.url, '--zone', 'z1', '--timeout', '1', '--json']);

    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.exitCode).toBe(1);
    expect(report.hosts).toEqual([
      { hostId: 'h1', hostName: 'kvm1', verdict: 'error', reason: 'failed: ssh: connect ECONNREFUSED 10.0.0.1:22' },
      { hostId: 'h2', hostName: 'kvm2', verdict: 'error', reason: expect.stringMatching(/^not run: zone lint refuses a run of host h2/) },
      { hostId: 'h3', hostName: 'kvm3', verdict: 'error', reason: expect.stringMatching(/^no dry-run record for run r3 after 1 s .*; look with hostnet host --host kvm3$/) },
      { hostId: 'h4', hostName: 'kvm4', target: 'netplan-linux', filesChanged: 0, liveDifferences: 0, verdict: 'no change' },
    ]);
  }, 10_000);

  it('a zone whose hosts were all held or refused (409/422 with each answer) still gets its table, and exits 1', async () => {
    const results = [
      { hostId: 'h1', hostName: 'kvm1', enqueued: false, skipped: 'host is held by relabel rollout rl-1 until it ends (GET /relabels/rl-1)', conflict: true },
      { hostId: 'h2', hostName: 'kvm2', enqueued: false, skipped: 'host is held by relabel rollout rl-1 until it ends (GET /relabels/rl-1)', conflict: true },
    ];
    const fake = await api(() => ({ status: 409, body: { statusCode: 409, message: 'no host of zone z1 was run: …', results } }));
    const result = await run(['--api-url', fake.url, '--zone', 'z1', '--json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).hosts).toEqual(results.map((r) => ({ hostId: r.hostId, hostName: r.hostName, verdict: 'error', reason: `not run: ${r.skipped}` })));
    // nothing was started, and the first line says so rather than "requested for 2 hosts"
    expect(result.stderr).toBe('hostnet plan: dry-run running on 0 of 2 host(s) of zone z1; 2 not run (see the table)\n');
    // a refusal naming the run that holds the host is not running this request's dry-run either
    const resolving = [{ ...results[0]!, runId: 'resolve-run', skipped: "an operator's resolve of this host (run resolve-run) is in flight; configure once it has ended" }];
    const held = await api(() => ({ status: 409, body: { statusCode: 409, message: 'no host of zone z1 was run: …', results: resolving } }));
    const answer = await run(['--api-url', held.url, '--zone', 'z1', '--json']);
    expect(answer.stderr).toBe('hostnet plan: dry-run running on 0 of 1 host(s) of zone z1; 1 not run (see the table)\n');
    expect(JSON.parse(answer.stdout).hosts).toEqual([{ hostId: 'h1', hostName: 'kvm1', verdict: 'error', reason: `not run: ${resolving[0]!.skipped}` }]);
    // a 409 without host answers (an ambiguous zone name) is api's message, as before
    const twin = await api(() => ({ status: 409, body: { statusCode: 409, message: 'zone name "z1" matches 2 zones: pass the zone id instead' } }));
    expect(await run(['--api-url', twin.url, '--zone', 'z1'])).toMatchObject({ code: 1, stdout: '', stderr: 'hostnet plan: POST /zones/z1/configure answered 409: zone name "z1" matches 2 zones: pass the zone id instead\n' });
  });

  it("exits 1 with api's message when the zone is unknown, and never prints the token", async () => {
    const fake = await api(() => ({ status: 404, body: { statusCode: 404, message: 'no zone named "z9" in CloudStack' } }));
    const result = await run(['--api-url', fake.url, '--zone', 'z9']);
    expect(result).toEqual({ code: 1, stdout: '', stderr: 'hostnet plan: POST /zones/z9/configure answered 404: no zone named "z9" in CloudStack\n' });
    expect(result.stderr).not.toContain(TOKEN);
  });

  it('says when the address answering is not hostnet api (another service on --api-url)', async () => {
    const fake = await api(() => ({ status: 404, raw: '<html><body>HTTP Status 404 – Not Found</body></html>' }));
    const result = await run(['--api-url', fake.url, '--zone', 'z1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `hostnet plan: POST /zones/z1/configure answered 404: <html><body>HTTP Status 404 – Not Found</body></html>; that is not hostnet api's answer (it answers JSON): check that --api-url or HOSTNET_API_URL (${fake.url}) is hostnet's api\n`,
    );
  });

  it('exits 1 when api cannot be reached', async () => {
    const fake = await api(() => ({ status: 500 }));
    const url = fake.url;
    await new Promise((r) => fake.server.close(r));
    const result = await run(['--api-url', url, '--zone', 'z1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^hostnet plan: could not reach api at http:\/\/127\.0\.0\.1:\d+ \(POST \/zones\/z1\/configure: .*ECONNREFUSED.*\); fix: check --api-url or HOSTNET_API_URL and that api is running/);
  });

  it.each([
    [['--zone', 'z'], { API_TOKEN: TOKEN, HOSTNET_API_URL: 'ftp://x' }, /HOSTNET_API_URL "ftp:\/\/x" must start with http:\/\/ or https:\/\//],
    [['--api-url', 'http://127.0.0.1:9'], { API_TOKEN: TOKEN }, /--zone is required: the CloudStack zone id or name/],
    [['--api-url', 'http://127.0.0.1:9', '--zone', 'z'], {}, /API_TOKEN is not set/],
    [['--api-url', 'http://127.0.0.1:9', '--zone', 'z', '--timeout', '0'], { API_TOKEN: TOKEN }, /--timeout must be a whole number of seconds, 1 or more \(got "0"\)/],
    [['--api-url', 'http://127.0.0.1:9', '--zone', 'z', '--token', 'x'], { API_TOKEN: TOKEN }, /--token is not a flag: export API_TOKEN instead/],
  ] as const)('exits 1 on bad usage, naming the flag (%j)', async (argv, env, message) => {
    const result = await run([...argv], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('usage: hostnet plan [--api-url URL] --zone ID|NAME');
  });
});
