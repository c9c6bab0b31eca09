import Redis from 'ioredis';
import { ADD_HOST_USAGE, addHostCommand } from '../../apps/cli/src/commands/add-host.command';
import { runCli } from '../../apps/cli/src/main';
import { PipelineHarness } from '../support/pipeline-harness';

interface Status {
  hostId: string;
  hostName: string;
  phase: string;
  reason?: string;
}

describe('add-host orchestration: network first, then addHost Disabled, then enable', () => {
  let h: PipelineHarness;
  const password = 'add-host-password-never-stored';

  beforeAll(async () => {
    h = await PipelineHarness.start({ hosts: 1, spareHosts: 2 });
  }, 60_000);
  afterAll(async () => h?.stop());

  it('configures a host CloudStack does not know (hostnet add-host), adds it and enables it', async () => {
    const zone = h.zone.cloudstack.state.zones[0]!.name;
    const spare = h.zone.hosts.get('kvm2')!;
    const out: string[] = [];
    const env = { API_TOKEN: h.env.API_TOKEN!, HOSTNET_HOST_PASSWORD: password };
    const argv = ['add-host', '--api-url', h.apiUrl, '--zone', zone, '--pod', 'pod1', '--cluster', 'cluster1', '--name', 'kvm2', '--ip', '192.168.100.21', '--username', 'root'];
    const code = await runCli(argv, { stdout: (t) => out.push(t), stderr: (t) => out.push(t) }, { 'add-host': { run: addHostCommand(() => env), usage: ADD_HOST_USAGE } });
    expect([code, out.join('')]).toEqual([0, expect.stringMatching(/^kvm2: add queued, run \S+ \(hostnet host --host pending-192-168-100-21 shows its result\)\n$/)]);

    const added = await h.until('kvm2 added and enabled', async () => {
      const host = h.zone.cloudstack.state.hosts.find((x) => x.name === 'kvm2');
      return host?.resourceState === 'Enabled' ? host : undefined;
    }, 60_000);
    // The simulator's addHost runs CheckNetworkCommand's probe: it only succeeds once the bridges exist.
    const names = spare.readLiveState().links.map((l) => l.name);
    expect(names).toEqual(expect.arrayContaining(['cloudbr0', 'cloudbr1']));
    const commands = h.zone.cloudstack.calls.mutations().filter((c) => c.params['id'] === added.id || c.command === 'addHost');
    expect(commands.map((c) => c.command)).toEqual(['addHost', 'updateHost']);
    expect(commands[0]!.params['allocationstate']).toBe('Disabled');

    // api records `enabled` after CloudStack answered the enable: wait for the record, not just CloudStack.
    const record = await h.until('kvm2 recorded enabled', async () => {
      const { body } = await h.request<{ latest?: Status }>('GET', `/hosts/${added.id}`);
      return body?.latest?.phase === 'enabled' ? body : undefined;
    }, 30_000);
    expect(record.latest!.phase).toBe('enabled');
  }, 90_000);

  it("a failed add (its SSH endpoint down) expires, is replaced by the add sent again, and the 404 for its name says what became of it", async () => {
    const zone = h.zone.cloudstack.state.zones[0]!.name;
    await h.zone.hosts.get('kvm3')!.stop();
    const add = () => h.request<{ hostId: string; runId: string }>('POST', '/hosts/add', {
      zoneId: zone, podId: 'pod1', clusterId: 'cluster1', name: 'kvm3', ipAddress: '192.168.100.22', username: 'root', password,
    });
    const failedRun = async (runId: string) =>
      h.until(`run ${runId} of kvm3's add failed`, async () => {
        const { body } = await h.request<{ latest?: Status & { runId?: string; at: string } }>('GET', '/hosts/pending-192-168-100-22');
        return body?.latest?.phase === 'failed' && body.latest.runId === runId ? body.latest : undefined;
      }, 90_000);
    const first = await add();
    expect(first.status).toBe(202);
    const failed = await failedRun(first.body.runId);
    const redis = new Redis(h.env['REDIS_URL']!);
    try {
      expect(await redis.ttl(`${h.env['QUEUE_PREFIX']}:status:latest:pending-192-168-100-22`)).toBeGreaterThan(6 * 86_400);
    } finally {
      redis.disconnect();
    }
    for (const [path, request] of [['/hosts/kvm3/configure', {}], ['/hosts/kvm3/resolve', { action: 'rollback', reason: 'e2e' }]] as const) {
      const { status, body } = await h.request<{ message: string }>('POST', path, request);
      expect(status).toBe(404);
      expect(body.message).toContain(`CloudStack has no KVM host with id or name "kvm3"; hostnet's only record of it is a POST /hosts/add (as pending-192-168-100-22) that failed at ${failed.at} (`);
      expect(body.message).toMatch(/then send POST \/hosts\/add again \(the record is replaced, or expires 7 days after it\)$/);
    }
    const again = await add();
    expect(again.status).toBe(202);
    expect(again.body.runId).not.toBe(first.body.runId);
    await failedRun(again.body.runId);
  }, 200_000);

  it('keeps the addHost password out of Redis', async () => {
    const redis = new Redis(h.env['REDIS_URL']!);
    try {
      const keys = await redis.keys(`${h.env['QUEUE_PREFIX']}*`);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        const type = await redis.type(key);
        const dump = type === 'string' ? await redis.get(key) : type === 'hash' ? JSON.stringify(await redis.hgetall(key)) : type === 'list' ? JSON.stringify(await redis.lrange(key, 0, -1)) : type === 'zset' ? JSON.stringify(await redis.zrange(key, 0, -1)) : '';
        expect(dump ?? '').not.toContain(password);
      }
    } finally {
      redis.disconnect();
    }
  });

  it('refuses a host CloudStack already has, naming it', async () => {
    const zone = h.zone.cloudstack.state.zones[0]!.name;
    const { status, body } = await h.request<{ message: string }>('POST', '/hosts/add', {
      zoneId: zone, podId: 'pod1', clusterId: 'cluster1', name: 'kvm1', ipAddress: '192.168.100.20', username: 'root', password,
    });
    expect(status).toBe(409);
    expect(body.message).toMatch(/already has host kvm1/);
  });

  it('refuses with 422 an address outside the pod, naming body.ipAddress, and records nothing', async () => {
    const zone = h.zone.cloudstack.state.zones[0]!.name;
    const { status, body } = await h.request<{ message: string }>('POST', '/hosts/add', {
      zoneId: zone, podId: 'pod1', clusterId: 'cluster1', name: 'kvm9', ipAddress: '10.9.9.9', username: 'root', password,
    });
    expect(status).toBe(422);
    expect(body.message).toMatch(/^host kvm9 not added, nothing recorded: body\.ipAddress: "10\.9\.9\.9" is outside pod pod1's management subnet 192\.168\.100\.0\/24; fix: /);
    const { body: failed } = await h.request<unknown[]>('GET', '/hosts?phase=failed');
    expect(JSON.stringify(failed)).not.toContain('kvm9');
  });

  it('names each bad field', async () => {
    const { status, body } = await h.request<{ message: string[] }>('POST', '/hosts/add', {
      zoneId: 'zone1', podId: 'pod1', clusterId: 'cluster1', name: 'kvm;reboot', ipAddress: '999.1.1.1', username: 'root', password,
    });
    expect(status).toBe(400);
    // each says what the field must be, with an example, not only what it is for
    expect(body.message).toEqual(
      expect.arrayContaining([
        'body.name: must be a hostname label (letters, digits and -, at most 63), e.g. kvm21',
        'body.ipAddress: must be the IPv4 address the host will have on the management network, as a dotted quad, e.g. 192.168.100.21',
      ]),
    );
  });

  it('says what a missing field is for, not only that it is required', async () => {
    const { status, body } = await h.request<{ message: string[] }>('POST', '/hosts/add', { zoneId: 'zone1', clusterId: 'cluster1', name: 'kvm21', ipAddress: '192.168.100.21', username: 'root', password });
    expect(status).toBe(400);
    expect(body.message).toEqual(['body.podId: required: the pod (id or name) the host joins, in that zone']);
  });
});
