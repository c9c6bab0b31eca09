import { createHmac } from 'node:crypto';
import { signParams } from '../../../libs/cloudstack/src/signing/request-signer';
import type { CloudStackSimulator } from '../../../apps/simulator/src/cloudstack';
import { API_KEY, call, SECRET_KEY, startSimulator } from './simulator-test-client';

const UNAUTHORIZED_TEXT = 'unable to verify user credentials and/or request signature';

describe('CloudStack simulator: request signature verification', () => {
  let sim: CloudStackSimulator;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(() => sim.stop());

  it('accepts a correctly signed GET and a correctly signed POST form body', async () => {
    expect((await call(sim, { command: 'listZones' })).status).toBe(200);
    expect((await call(sim, { command: 'listZones' }, { method: 'POST' })).status).toBe(200);
  });

  it.each([
    ['spaces', 'kvm host one'],
    ['UTF-8', 'hôte-ünïcode-主机'],
    ["~!'()*", "a~b!c'd(e)f*g"],
    ['empty value', ''],
    ['plus and slash', 'a+b/c=d&e'],
  ])('verifies values with %s signed by the repo signer', async (_case, value) => {
    const answer = await call(sim, { command: 'listHosts', keyword: value });
    expect(answer.status).toBe(200);
  });

  it('accepts a signature computed by hand from the Java-style canonical string', async () => {
    const canonical = `apikey=${API_KEY}&command=listhosts&keyword=a%20b%7ec%27d%21&response=json`.toLowerCase();
    const signature = createHmac('sha1', SECRET_KEY).update(canonical).digest('base64');
    const answer = await call(sim, { command: 'listHosts', keyword: "a b~c'd!" }, { signature });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ listhostsresponse: {} });
  });

  it('signs over names as sent: mixed-case names verify and still dispatch case-insensitively', async () => {
    const hostId = sim.state.hosts[0]!.id;
    const answer = await call(sim, { command: 'listHosts', Id: hostId, zoneId: sim.state.zones[0]!.id, Keyword: 'kvm1' });
    expect(answer.status).toBe(200);
    expect(answer.json.listhostsresponse.host.map((h: { name: string }) => h.name)).toEqual(['kvm1']);
  });

  it('answers a bad signature with 401 and CloudStack’s exact body (command wrapper, no cserrorcode)', async () => {
    const answer = await call(sim, { command: 'listHosts' }, { secretKey: 'wrong-secret' });
    expect(answer.status).toBe(401);
    expect(answer.text).toBe(`{"listhostsresponse":{"uuidList":[],"errorcode":401,"errortext":"${UNAUTHORIZED_TEXT}"}}`);
    expect(answer.headers.get('content-type')).toBe('application/json; charset=UTF-8');
  });

  it('rejects a parameter added after signing, a missing signature and an unknown api key', async () => {
    expect((await call(sim, { command: 'listHosts' }, { unsigned: { name: 'kvm1' } })).status).toBe(401);
    expect((await call(sim, { command: 'listHosts' }, { signature: '' })).status).toBe(401);
    expect((await call(sim, { command: 'listHosts' }, { apiKey: `${API_KEY}-other` })).status).toBe(401);
  });

  it('answers an unknown command with 401 wrapped in errorresponse, not 432', async () => {
    const answer = await call(sim, { command: 'listWidgets' });
    expect(answer.status).toBe(401);
    expect(answer.text).toBe(`{"errorresponse":{"uuidList":[],"errorcode":401,"errortext":"${UNAUTHORIZED_TEXT}"}}`);
  });

  it('treats command names as exact: listhosts is not listHosts', async () => {
    const answer = await call(sim, { command: 'listhosts' });
    expect(answer.status).toBe(401);
    expect(Object.keys(answer.json)).toEqual(['errorresponse']);
  });

  describe('signatureversion=3', () => {
    const inMinutes = (minutes: number): string => new Date(Date.now() + minutes * 60_000).toISOString().replace(/\.\d{3}Z$/, '+0000');

    it('accepts a future expires (signed, +0000 sent as %2B0000)', async () => {
      const answer = await call(sim, { command: 'listZones', signatureversion: '3', expires: inMinutes(10) });
      expect(answer.status).toBe(200);
    });

    it('accepts ISO forms with Z and with a colon offset', async () => {
      const zulu = new Date(Date.now() + 600_000).toISOString();
      expect((await call(sim, { command: 'listZones', signatureVersion: '3', expires: zulu })).status).toBe(200);
      const colon = inMinutes(10).replace(/\+0000$/, '+00:00');
      expect((await call(sim, { command: 'listZones', signatureversion: '3', expires: colon })).status).toBe(200);
    });

    it('rejects an expires in the past, a missing expires and an unparseable one', async () => {
      expect((await call(sim, { command: 'listZones', signatureversion: '3', expires: inMinutes(-1) })).status).toBe(401);
      expect((await call(sim, { command: 'listZones', signatureversion: '3' })).status).toBe(401);
      expect((await call(sim, { command: 'listZones', signatureversion: '3', expires: 'tomorrow' })).status).toBe(401);
    });

    it('rejects an expires whose + was sent unencoded (the server decodes it as a space)', async () => {
      const params = { command: 'listZones', response: 'json', apikey: API_KEY, signatureversion: '3', expires: inMinutes(10) };
      const query = Object.entries({ ...params, signature: signParams(params, SECRET_KEY) })
        .map(([k, v]) => `${k}=${k === 'expires' ? v.replace(/:/g, '%3A') : encodeURIComponent(v)}`).join('&');
      expect(query).toMatch(/expires=[^&]*\+0000/);
      const answer = await fetch(`${sim.url}?${query}`, { signal: AbortSignal.timeout(5000) });
      expect(answer.status).toBe(401);
    });
  });

  it('never records the signature, and masks passwords in recorded calls', async () => {
    sim.calls.clear();
    await call(sim, { command: 'listZones', password: 'hunter2' });
    const [recorded] = sim.calls.all();
    expect(recorded!.params).not.toHaveProperty('signature');
    expect(recorded!.params.password).toBe('******');
    expect(JSON.stringify(sim.calls.all())).not.toContain(SECRET_KEY);
  });
});
