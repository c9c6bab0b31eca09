import type { Server } from 'node:http';
import { fakeApi } from '../../test-support/fake-api';
import { runCli } from '../main';
import { CONFIGURE_USAGE, configureCommand } from './configure.command';

describe('hostnet configure', () => {
  const servers: Server[] = [];
  afterEach(() => servers.splice(0).forEach((s) => s.close()));
  const run = async (reply: Parameters<typeof fakeApi>[0], argv: string[]) => {
    const fake = await fakeApi(reply);
    servers.push(fake.server);
    const out: string[] = [];
    const err: string[] = [];
    const commands = { configure: { run: configureCommand(() => ({ API_TOKEN: 'tok-123' })), usage: CONFIGURE_USAGE } };
    const code = await runCli(['configure', ...argv, '--api-url', fake.url], { stdout: (t) => out.push(t), stderr: (t) => err.push(t) }, commands);
    return { code, stdout: out.join(''), stderr: err.join(''), seen: fake.seen };
  };

  it('sends dryRun, force and requestedBy only when given, to the route of the target', async () => {
    const answer = { hostId: 'h1', hostName: 'kvm1', runId: 'r1', enqueued: true };
    const r = await run(() => ({ status: 202, body: [answer] }), ['--cluster', 'Cluster 1', '--dry-run', '--force', '--requested-by', 'alice']);
    expect(r).toMatchObject({ code: 0, stdout: 'kvm1: dry-run queued, run r1 (hostnet host --host h1 shows its result)\n' });
    expect(r.seen).toEqual([{ method: 'POST', url: '/clusters/Cluster%201/configure', authorization: 'Bearer tok-123', body: JSON.stringify({ dryRun: true, force: true, requestedBy: 'alice' }) }]);
  });

  it('sends enable only when --enable is given', async () => {
    const answer = { hostId: 'h1', hostName: 'kvm1', runId: 'r1', enqueued: true };
    const r = await run(() => ({ status: 202, body: answer }), ['--host', 'kvm1', '--enable']);
    expect(r.code).toBe(0);
    expect(r.seen.map((s) => s.body)).toEqual([JSON.stringify({ enable: true })]);
  });

  it('a host api ran nothing for (409 held, 422 with every host) is a line each and exit 2', async () => {
    const held = await run(() => ({ status: 409, body: { statusCode: 409, message: 'host is held by relabel rollout rl-1 until it ends (GET /relabels/rl-1)', hostId: 'h1', hostName: 'kvm1' } }), ['--host', 'kvm1']);
    expect(held).toMatchObject({ code: 2, stdout: 'kvm1: not run: host is held by relabel rollout rl-1 until it ends (GET /relabels/rl-1)\n' });
    const results = [
      { hostId: 'h1', hostName: 'kvm1', enqueued: false, skipped: 'zone lint refuses a run of host h1 …' },
      { hostId: 'h2', hostName: 'kvm2', enqueued: false, skipped: 'zone lint refuses a run of host h2 …' },
    ];
    const zone = await run(() => ({ status: 422, body: { statusCode: 422, message: 'no host of zone z1 was run: …', results } }), ['--zone', 'z1']);
    expect(zone).toMatchObject({ code: 2, stdout: 'kvm1: not run: zone lint refuses a run of host h1 …\nkvm2: not run: zone lint refuses a run of host h2 …\n' });
    expect(JSON.parse((await run(() => ({ status: 422, body: { results } }), ['--zone', 'z1', '--json'])).stdout)).toEqual(results);
  });

  it("a multi-line refusal keeps its line breaks (no '?'), control characters in it still masked", async () => {
    const skipped = 'host network intent is invalid (1 problem):\n  - topology.physicalNetworks[1].trafficTypes[0].kvmNetworkLabel: "cloud br0;rm" is invalid\u001b[2J; fix: set it in CloudStack';
    const r = await run(() => ({ status: 422, body: { results: [{ hostId: 'h4', hostName: 'kvm4', enqueued: false, skipped }] } }), ['--host', 'kvm4']);
    expect(r).toMatchObject({
      code: 2,
      stdout: 'kvm4: not run: host network intent is invalid (1 problem):\n  - topology.physicalNetworks[1].trafficTypes[0].kvmNetworkLabel: "cloud br0;rm" is invalid?[2J; fix: set it in CloudStack\n',
    });
  });

  it('a refusal naming the run that holds the host (a resolve in flight) is not a run of this request: exit 2', async () => {
    const results = [{ hostId: 'h1', hostName: 'kvm1', runId: 'resolve-run', enqueued: false, skipped: "an operator's resolve of this host (run resolve-run) is in flight; configure once it has ended", conflict: true }];
    const held = await run(() => ({ status: 409, body: { statusCode: 409, message: 'no host of zone z1 was run: …', results } }), ['--zone', 'z1']);
    expect(held).toMatchObject({ code: 2, stdout: `kvm1: not run: ${results[0]!.skipped}\n` });
  });

  it('asks for exactly one target, sending nothing', async () => {
    const none = await run(() => ({ status: 500, body: {} }), []);
    expect(none).toMatchObject({ code: 2, stderr: `hostnet configure: give exactly one of --host, --cluster or --zone (usage: ${CONFIGURE_USAGE})\n`, seen: [] });
  });
});
