import type { CloudStackSimulator } from '../../../apps/simulator/src/cloudstack';
import { call, startSimulator } from './simulator-test-client';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('CloudStack simulator: envelopes, lists and paging', () => {
  let sim: CloudStackSimulator;
  beforeAll(async () => {
    sim = await startSimulator({
      seed: {
        zones: [{
          name: 'big',
          pods: [{
            name: 'p1', gateway: '10.10.0.1', netmask: '255.255.0.0',
            clusters: [{ name: 'c1', hostTemplate: { count: 1203, namePrefix: 'kvm', ipStart: '10.10.1.250' } }],
          }],
          physicalNetworks: [{ name: 'pn', trafficTypes: [{ type: 'Guest' }] }],
        }],
      },
    });
  });
  afterAll(() => sim.stop());

  it('caps an unpaged list at 500 items while count is the total', async () => {
    const body = (await call(sim, { command: 'listHosts' })).json.listhostsresponse;
    expect(body.count).toBe(1203);
    expect(body.host).toHaveLength(500);
  });

  it('pages with page/pagesize; the last page is short and pagesize=-1 returns everything', async () => {
    const page3 = (await call(sim, { command: 'listHosts', page: '3', pagesize: '500' })).json.listhostsresponse;
    expect(page3.count).toBe(1203);
    expect(page3.host).toHaveLength(203);
    expect(page3.host[0].name).toBe('kvm1001');
    expect(page3.host[202].ipaddress).toBe('10.10.6.172');
    const all = (await call(sim, { command: 'listHosts', pagesize: '-1' })).json.listhostsresponse;
    expect(all.host).toHaveLength(1203);
    expect(new Set(all.host.map((h: { id: string }) => h.id)).size).toBe(1203);
    expect(all.host.every((h: { id: string }) => UUID.test(h.id))).toBe(true);
  });

  it('answers a page past the end with {count} and no array', async () => {
    const answer = await call(sim, { command: 'listHosts', page: '4', pagesize: '500' });
    expect(answer.text).toBe('{"listhostsresponse":{"count":1203}}');
  });

  it('answers an empty list with {} (no count, no array)', async () => {
    const answer = await call(sim, { command: 'listHosts', name: 'no-such-host' });
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('{"listhostsresponse":{}}');
    expect((await call(sim, { command: 'listStorageNetworkIpRange' })).text).toBe('{"liststoragenetworkiprangeresponse":{}}');
  });

  it.each([
    [{ page: '1' }, 9999, '"pagesize" parameter is required when "page" is specified'],
    [{ pagesize: '20' }, 9999, '"page" parameter is required when "pagesize" is specified'],
    [{ page: '1', pagesize: '501' }, 4350, "Page size can't exceed max allowed page size value: 500"],
    [{ page: '1', pagesize: '-1' }, 4350, "Can't specify page parameter when pagesize is -1 (Unlimited)"],
    [{ page: 'two', pagesize: '20' }, 9999, 'Unable to execute API command listhosts due to invalid value two for parameter page'],
  ])('rejects paging %j with 431', async (paging, cserrorcode, errortext) => {
    const answer = await call(sim, { command: 'listHosts', ...paging });
    expect(answer.status).toBe(431);
    expect(answer.json).toEqual({ listhostsresponse: { uuidList: [], errorcode: 431, cserrorcode, errortext } });
    expect(answer.headers.get('x-description')).toBe(errortext);
  });

  it('431s a missing required parameter and an id that names nothing', async () => {
    const missing = await call(sim, { command: 'listTrafficTypes' });
    expect(missing.status).toBe(431);
    expect(missing.json.listtraffictypesresponse.errortext).toBe(
      'Unable to execute API command listtraffictypes due to missing parameter physicalnetworkid');
    const unknown = await call(sim, { command: 'listHosts', zoneid: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.status).toBe(431);
    expect(unknown.json.listhostsresponse.errortext).toMatch(/^Unable to execute API command listhosts due to invalid value\. Invalid parameter zoneid value=00000000-/);
  });

  it('filters listHosts by type, hypervisor, state, resourcestate and keyword', async () => {
    const count = async (params: Record<string, string>) =>
      (await call(sim, { command: 'listHosts', pagesize: '-1', ...params })).json.listhostsresponse.count ?? 0;
    expect(await count({ type: 'Routing', hypervisor: 'KVM' })).toBe(1203);
    expect(await count({ type: 'SecondaryStorageVM' })).toBe(0);
    expect(await count({ hypervisor: 'XenServer' })).toBe(0);
    expect(await count({ state: 'Up', resourcestate: 'Enabled' })).toBe(1203);
    expect(await count({ resourcestate: 'Disabled' })).toBe(0);
    expect(await count({ keyword: 'kvm120' })).toBe(5); // kvm120, kvm1200..kvm1203
  });

  it('uses real JSON types, omits unset fields and formats dates like CloudStack', async () => {
    const host = (await call(sim, { command: 'listHosts', name: 'kvm1' })).json.listhostsresponse.host[0];
    expect(host).toMatchObject({ name: 'kvm1', type: 'Routing', hypervisor: 'KVM', state: 'Up', resourcestate: 'Enabled' });
    expect(typeof host.cpunumber).toBe('number');
    expect(typeof host.islocalstorageactive).toBe('boolean');
    expect(host.cpuallocated).toBe('0%');
    expect(host.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}$/);
    expect(host).not.toHaveProperty('disconnected');
    const networks = (await call(sim, { command: 'listPhysicalNetworks' })).json.listphysicalnetworksresponse;
    const traffic = (await call(sim, { command: 'listTrafficTypes', physicalnetworkid: networks.physicalnetwork[0].id })).json;
    expect(traffic.listtraffictypesresponse.traffictype[0]).not.toHaveProperty('kvmnetworklabel');
    expect(JSON.stringify(traffic)).not.toContain('null');
  });

  it('answers listCapabilities with a single capability object', async () => {
    const body = (await call(sim, { command: 'listCapabilities' })).json.listcapabilitiesresponse;
    expect(body.capability.cloudstackversion).toBe('4.19.1.0');
    expect(Array.isArray(body.capability)).toBe(false);
  });

  describe('XML (no response parameter)', () => {
    it('serializes errors in the command wrapper with the version attribute', async () => {
      const answer = await call(sim, { command: 'listTrafficTypes' }, { json: false });
      expect(answer.status).toBe(431);
      expect(answer.headers.get('content-type')).toBe('text/xml; charset=UTF-8');
      expect(answer.text).toBe(
        '<?xml version="1.0" encoding="UTF-8"?><listtraffictypesresponse cloud-stack-version="4.19.1.0">' +
        '<errorcode>431</errorcode><cserrorcode>9999</cserrorcode>' +
        '<errortext>Unable to execute API command listtraffictypes due to missing parameter physicalnetworkid</errortext>' +
        '</listtraffictypesresponse>');
    });

    it('serializes the 401 without cserrorcode, and errorresponse for unknown commands', async () => {
      const bad = await call(sim, { command: 'listZones' }, { json: false, secretKey: 'nope' });
      expect(bad.text).toBe('<?xml version="1.0" encoding="UTF-8"?><listzonesresponse cloud-stack-version="4.19.1.0">' +
        '<errorcode>401</errorcode><errortext>unable to verify user credentials and/or request signature</errortext></listzonesresponse>');
      const unknown = await call(sim, { command: 'deployVirtualMachine' }, { json: false });
      expect(unknown.text).toContain('<errorresponse cloud-stack-version="4.19.1.0"><errorcode>401</errorcode>');
    });

    it('serializes lists with count first and one element per item', async () => {
      const answer = await call(sim, { command: 'listZones' }, { json: false });
      expect(answer.status).toBe(200);
      expect(answer.text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><listzonesresponse cloud-stack-version="4.19.1.0"><count>1<\/count><zone><id>[0-9a-f-]{36}<\/id><name>big<\/name>/);
      const empty = await call(sim, { command: 'listHosts', name: 'none' }, { json: false });
      expect(empty.text).toBe('<?xml version="1.0" encoding="UTF-8"?><listhostsresponse cloud-stack-version="4.19.1.0"></listhostsresponse>');
    });
  });
});
