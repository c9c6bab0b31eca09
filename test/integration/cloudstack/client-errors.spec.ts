import { inspect } from 'node:util';
import {
  CloudStackApiError,
  CloudStackClient,
  CloudStackClientOptions,
  CloudStackConfigError,
  CloudStackError,
  CloudStackNetworkError,
  CloudStackProtocolError,
} from '@hostnet/cloudstack';
import { FakeCloudStack, errorBody } from './fake-cloudstack.server';

const API_KEY = 'AKEY-visible-only-on-the-wire';
const SECRET = 'SECRET-must-never-leak-0123456789';
const zones = { listzonesresponse: { count: 1, zone: [{ id: 'z1', name: 'Zone1', networktype: 'Advanced' }] } };

describe('CloudStackClient errors, retries and timeouts over real HTTP', () => {
  let fake: FakeCloudStack;
  let logLines: string[];
  const make = (extra: Partial<CloudStackClientOptions> = {}) =>
    new CloudStackClient({
      url: fake.url,
      apiKey: API_KEY,
      secretKey: SECRET,
      retries: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
      logger: { debug: (m) => logLines.push(m), warn: (m) => logLines.push(m) },
      ...extra,
    });
  const failure = async (p: Promise<unknown>): Promise<CloudStackError> => {
    const error = await p.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(CloudStackError);
    return error as CloudStackError;
  };

  beforeAll(async () => {
    fake = await FakeCloudStack.start(API_KEY, SECRET);
  });
  afterAll(async () => fake.stop());
  beforeEach(() => {
    fake.reset();
    logLines = [];
  });

  it('maps 431 to a param error and never retries it', async () => {
    fake.on('updateHost', () => ({
      status: 431,
      body: errorBody('updateHost', 431, 'Invalid allocation state: enable, only Enable/Disable are allowed', 4350),
    }));
    const client = make();
    const error = await failure(client.updateHostAllocation('h1', 'Enable'));
    expect(error).toBeInstanceOf(CloudStackApiError);
    expect(error).toMatchObject({
      kind: 'param', httpStatus: 431, errorCode: 431, csErrorCode: 4350, command: 'updateHost',
      errorText: 'Invalid allocation state: enable, only Enable/Disable are allowed', permanent: true,
      params: { id: 'h1', allocationstate: 'Enable' },
    });
    expect(client.calls.count('updateHost')).toBe(1);
  });

  it('maps wrong keys to a 401 auth error without cserrorcode', async () => {
    const client = make({ secretKey: 'not-the-secret' });
    const error = await failure(client.listZones());
    expect(error).toMatchObject({ kind: 'auth', httpStatus: 401, csErrorCode: undefined });
    expect(error.message).toContain('unable to verify user credentials and/or request signature');
    expect(client.calls.count('listZones')).toBe(1);
  });

  it('maps 530 to an internal error carrying cserrorcode 9999 after exhausting retries', async () => {
    fake.on('listZones', () => ({ status: 530, body: errorBody('listZones', 530, 'Internal error executing command, please contact your system administrator', 9999) }));
    const client = make();
    const error = await failure(client.listZones());
    expect(error).toMatchObject({ kind: 'internal', httpStatus: 530, csErrorCode: 9999 });
    expect(client.calls.count('listZones')).toBe(3);
  });

  it('retries a 503 then succeeds', async () => {
    fake.on('listZones', (_c, nth) => (nth === 1 ? { status: 503, text: '<html>Service Unavailable</html>' } : { body: zones }));
    const client = make();
    await expect(client.listZones()).resolves.toHaveLength(1);
    expect(client.calls.count('listZones')).toBe(2);
    expect(logLines.some((l) => /listZones attempt 1\/3 failed .*503.*retrying/.test(l))).toBe(true);
  });

  it('retries a 429 then succeeds', async () => {
    fake.on('listZones', (_c, nth) => (nth < 3 ? { status: 429, body: errorBody('listZones', 429, 'too many requests') } : { body: zones }));
    const client = make();
    await expect(client.listZones()).resolves.toHaveLength(1);
    expect(client.calls.count('listZones')).toBe(3);
  });

  it('does not resend addHost after a 500 (it may already be running)', async () => {
    fake.on('addHost', () => ({ status: 500, text: 'oops' }));
    const client = make();
    const error = await failure(client.addHost({ zoneId: 'z1', podId: 'p1', clusterId: 'c1', address: '192.168.100.21', username: 'root', password: 'pw-secret' }));
    expect(error).toMatchObject({ kind: 'server', httpStatus: 500 });
    expect(client.calls.count('addHost')).toBe(1);
    expect(error.params.password).toBe('***');
  });

  it('times out a server that never answers within timeoutMs', async () => {
    fake.on('listZones', () => 'hang');
    const client = make({ timeoutMs: 300, retries: { attempts: 1 } });
    const started = Date.now();
    const error = await failure(client.listZones());
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(CloudStackNetworkError);
    expect(error).toMatchObject({ kind: 'timeout', permanent: false });
    expect(error.message).toBe(`CloudStack listZones timed out after 300 ms (${new URL(fake.url).host}); fix: check the CloudStack API URL hostnet was given (CLOUDSTACK_URL) and that the management server answers there`);
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(2000);
  });

  it('tries a hung server twice, not as often as its attempts allow, and says how often it tried', async () => {
    fake.on('listZones', () => 'hang');
    const client = make({ timeoutMs: 200, retries: { attempts: 5, baseDelayMs: 1, maxDelayMs: 1 } });
    const error = await failure(client.listZones());
    expect(error).toMatchObject({ kind: 'timeout' });
    expect(error.message).toMatch(/^CloudStack listZones timed out after 200 ms .* \(tried 2 times\)$/);
    expect(client.calls.count('listZones')).toBe(2);
  });

  it('reports a refused connection as a network error', async () => {
    const closed = await FakeCloudStack.start(API_KEY, SECRET);
    const url = closed.url;
    await closed.stop();
    const client = new CloudStackClient({ url, apiKey: API_KEY, secretKey: SECRET, retries: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    const error = await failure(client.listZones());
    expect(error).toMatchObject({ kind: 'network', code: 'ECONNREFUSED' });
    expect(error.message).toBe(`CloudStack listZones could not reach ${new URL(url).host}: ECONNREFUSED; fix: check the CloudStack API URL hostnet was given (CLOUDSTACK_URL) and that the management server answers there (tried 2 times)`);
    expect(client.calls.count('listZones')).toBe(2);
  });

  it('explains a non-JSON 200 answer (wrong endpoint)', async () => {
    fake.on('listZones', () => ({ text: '<html>login</html>' }));
    const error = await failure(make().listZones());
    expect(error).toBeInstanceOf(CloudStackProtocolError);
    expect(error.message).toMatch(/is CLOUDSTACK_URL the API endpoint/);
  });

  it('names CLOUDSTACK_URL as the fix for an error answer that is not CloudStack\'s (another service at that URL)', async () => {
    fake.on('listZones', () => ({ status: 415, text: '' }));
    const error = await failure(make().listZones());
    expect(error).toBeInstanceOf(CloudStackApiError);
    expect(error.message).toMatch(/^CloudStack listZones failed with HTTP 415: HTTP 415 .*not a CloudStack answer; fix: CLOUDSTACK_URL may not point at a CloudStack API endpoint: give the management server's …\/client\/api/);
  });

  it('rejects a malformed URL naming CLOUDSTACK_URL, before any request', () => {
    expect(() => new CloudStackClient({ url: 'cloudstack:8080/client/api', apiKey: API_KEY, secretKey: SECRET })).toThrow(CloudStackConfigError);
    expect(() => new CloudStackClient({ url: 'htp//x', apiKey: API_KEY, secretKey: SECRET })).toThrow(/^CLOUDSTACK_URL: /);
    expect(() => new CloudStackClient({ url: fake.url, apiKey: API_KEY, secretKey: '' })).toThrow(/^CLOUDSTACK_SECRET_KEY: is missing/);
  });

  it('keeps the secret, the apikey and the signature out of logs and errors', async () => {
    fake.on('listZones', () => ({ status: 503, body: errorBody('listZones', 503, 'down') }));
    fake.on('listPods', () => 'hang');
    const client = make({ timeoutMs: 200, retries: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    const errors = [
      await failure(client.listZones()),
      await failure(client.listPods('z1')),
      await failure(make({ secretKey: 'wrong-secret' }).listZones()),
    ];
    const signatures = fake.calls.map((c) => c.params.signature ?? '').filter((s) => s !== '');
    expect(signatures.length).toBeGreaterThan(0);
    const everything = [...logLines, ...errors.flatMap((e) => [e.message, inspect(e, { depth: 10 }), JSON.stringify(e)])].join('\n');
    expect(logLines.length).toBeGreaterThan(0);
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain(API_KEY);
    for (const signature of signatures) {
      expect(everything).not.toContain(signature);
      expect(everything).not.toContain(encodeURIComponent(signature));
    }
  });
});
