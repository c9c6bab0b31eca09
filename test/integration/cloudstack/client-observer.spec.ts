import { CloudStackClient, type CloudStackCallEvent } from '@hostnet/cloudstack';
import { FakeCloudStack, errorBody } from './fake-cloudstack.server';

const API_KEY = 'AKEY-observer';
const SECRET = 'SECRET-observer-0123456789';
const zones = { listzonesresponse: { count: 1, zone: [{ id: 'z1', name: 'Zone1', networktype: 'Advanced' }] } };

describe('CloudStackClient observer: every call with its command, result and duration', () => {
  let fake: FakeCloudStack;
  beforeAll(async () => {
    fake = await FakeCloudStack.start(API_KEY, SECRET);
  });
  afterAll(async () => fake.stop());
  beforeEach(() => fake.reset());

  it('reports each attempt, retries included, with the error kind of a failed one', async () => {
    fake.on('listZones', (_call, nth) => (nth === 1 ? { status: 530, body: errorBody('listZones', 530, 'boom') } : { body: zones }));
    fake.on('updateHost', () => ({ status: 431, body: errorBody('updateHost', 431, 'bad state', 4350) }));
    const events: CloudStackCallEvent[] = [];
    const client = new CloudStackClient({
      url: fake.url,
      apiKey: API_KEY,
      secretKey: SECRET,
      retries: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
      observer: (event) => events.push(event),
    });
    await client.listZones();
    await expect(client.updateHostAllocation('h1', 'Enable')).rejects.toThrow(/bad state/);
    expect(events.map(({ command, result }) => `${command}:${result}`)).toEqual(['listZones:internal', 'listZones:ok', 'updateHost:param']);
    for (const e of events) expect(e.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('a throwing observer never breaks a call', async () => {
    fake.on('listZones', () => ({ body: zones }));
    const client = new CloudStackClient({
      url: fake.url,
      apiKey: API_KEY,
      secretKey: SECRET,
      observer: () => {
        throw new Error('observer bug');
      },
    });
    await expect(client.listZones()).resolves.toHaveLength(1);
  });
});
