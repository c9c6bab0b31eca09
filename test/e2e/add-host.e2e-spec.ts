import Redis from 'ioredis';
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
    h = await PipelineHarness.start({ hosts: 1, spareHosts: 1 });
  }, 60_000);
  afterAll(async () => h?.stop());

  it('configures a host CloudStack does not know, adds it and enables it', async () => {
    const zone = h.zone.cloudstack.state.zones[0]!.name;
    const spare = h.zone.hosts.get('kvm2')!;
    const { status, body } = await h.request<{ hostId: string; enqueued: boolean }>('POST', '/hosts/add', {
      zoneId: zone,
      podId: 'pod1',
      clusterId: 'cluster1',
      name: 'kvm2',
      ipAddress: '192.168.100.21',
      username: 'root',
      password,
    });
    expect(status).toBe(202);
    expect(body).toMatchObject({ hostId: 'pending-192-168-100-21', enqueued: true });

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
