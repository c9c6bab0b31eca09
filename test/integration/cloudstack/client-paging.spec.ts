import { CloudStackClient } from '@hostnet/cloudstack';
import { FakeCloudStack } from './fake-cloudstack.server';

const API_KEY = 'test-api-key';
const SECRET = 'test-secret-key/+=';

function rawHost(i: number) {
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    name: `kvm-${i}`,
    ipaddress: `10.1.${Math.floor(i / 250)}.${(i % 250) + 1}`,
    zoneid: 'z1', podid: 'p1', clusterid: 'c1',
    state: 'Up', resourcestate: 'Enabled', hypervisor: 'KVM', type: 'Routing',
  };
}

describe('CloudStackClient lists over real HTTP', () => {
  let fake: FakeCloudStack;
  let client: CloudStackClient;

  beforeAll(async () => {
    fake = await FakeCloudStack.start(API_KEY, SECRET);
  });
  afterAll(async () => fake.stop());
  beforeEach(() => {
    fake.reset();
    client = new CloudStackClient({ url: fake.url, apiKey: API_KEY, secretKey: SECRET });
  });

  it('pages through 1234 hosts in exactly 3 signed calls of pagesize 500', async () => {
    const hosts = Array.from({ length: 1234 }, (_, i) => rawHost(i));
    fake.on('listHosts', (call) => {
      const page = Number(call.params.page);
      const size = Number(call.params.pagesize);
      return { body: { listhostsresponse: { count: hosts.length, host: hosts.slice((page - 1) * size, page * size) } } };
    });
    const result = await client.listHosts({ zoneId: 'z1' });
    expect(result).toHaveLength(1234);
    expect(new Set(result.map((h) => h.id)).size).toBe(1234);
    expect(client.calls.snapshot()).toEqual({ listHosts: 3 });
    const sent = fake.callsOf('listHosts').map((c) => c.params);
    expect(sent.map((p) => [p.page, p.pagesize])).toEqual([['1', '500'], ['2', '500'], ['3', '500']]);
    expect(sent[0]).toMatchObject({ type: 'Routing', hypervisor: 'KVM', zoneid: 'z1', response: 'json', signatureversion: '3' });
    // Every name on the wire is lowercase and the body is a form post.
    for (const c of fake.callsOf('listHosts')) {
      expect(c.method).toBe('POST');
      expect(Object.keys(c.params).every((k) => k === k.toLowerCase())).toBe(true);
    }
  });

  it('reads {} as an empty list in one call', async () => {
    fake.on('listZones', () => ({ body: { listzonesresponse: {} } }));
    await expect(client.listZones()).resolves.toEqual([]);
    expect(client.calls.count('listZones')).toBe(1);
  });

  it('stops at a page past the end that carries count but no array', async () => {
    // A server whose count overstates the items (e.g. a host removed while paging).
    const hosts = Array.from({ length: 500 }, (_, i) => rawHost(i));
    fake.on('listHosts', (call) =>
      call.params.page === '1'
        ? { body: { listhostsresponse: { count: 501, host: hosts } } }
        : { body: { listhostsresponse: { count: 501 } } },
    );
    await expect(client.listHosts()).resolves.toHaveLength(500);
    expect(client.calls.count('listHosts')).toBe(2);
  });

  it('reads listCapabilities as a single object', async () => {
    fake.on('listCapabilities', () => ({
      body: { listcapabilitiesresponse: { capability: { cloudstackversion: '4.19.1.0', apilimitinterval: 1, apilimitmax: 25, securitygroupsenabled: false, customdiskofferingmaxsize: 1024 } } },
    }));
    await expect(client.listCapabilities()).resolves.toEqual({
      cloudStackVersion: '4.19.1.0', apiLimitIntervalSeconds: 1, apiLimitMax: 25, securityGroupsEnabled: false,
      other: { customdiskofferingmaxsize: 1024 },
    });
  });

  it('signs GET requests too, with the signature and + of expires encoded in the query', async () => {
    const getClient = new CloudStackClient({ url: fake.url, apiKey: API_KEY, secretKey: SECRET, method: 'GET' });
    fake.on('listZones', () => ({ body: { listzonesresponse: { count: 1, zone: [{ id: 'z1', name: 'Zone 1 ~!\'()*', networktype: 'Advanced' }] } } }));
    await expect(getClient.listZones({ name: "Zone 1 ~!'()*" })).resolves.toHaveLength(1);
    const [call] = fake.callsOf('listZones');
    expect(call?.method).toBe('GET');
    expect(call?.rawQuery).toMatch(/expires=\d{4}-\d\d-\d\dT\d\d%3A\d\d%3A\d\d%2B0000/);
    expect(call?.rawQuery).toContain('name=Zone%201%20%7E%21%27%28%29*');
  });

  it('runs at most maxConcurrent requests at once', async () => {
    const limited = new CloudStackClient({ url: fake.url, apiKey: API_KEY, secretKey: SECRET, maxConcurrent: 2 });
    fake.on('listPods', () => ({ body: { listpodsresponse: {} }, delayMs: 30 }));
    await Promise.all(Array.from({ length: 6 }, () => limited.listPods('z1')));
    expect(limited.calls.count('listPods')).toBe(6);
    expect(fake.peakConcurrent).toBe(2);
  });
});
