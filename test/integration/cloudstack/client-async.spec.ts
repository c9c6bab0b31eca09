import {
  CloudStackAsyncJobError,
  CloudStackAsyncTimeoutError,
  CloudStackClient,
  CloudStackValidationError,
  HostAllocationAction,
} from '@hostnet/cloudstack';
import { FakeCloudStack } from './fake-cloudstack.server';

const API_KEY = 'k';
const SECRET = 's';
const rawHost = (resourcestate: string) => ({
  id: 'h1', name: 'kvm1', ipaddress: '192.168.100.11', zoneid: 'z1', podid: 'p1', clusterid: 'c1',
  state: 'Up', resourcestate, hypervisor: 'KVM', type: 'Routing',
});
const job = (jobstatus: number, jobresult?: unknown, extra: Record<string, unknown> = {}) => ({
  body: { queryasyncjobresultresponse: { jobid: 'j1', jobstatus, jobprocstatus: 0, ...(jobresult ? { jobresult } : {}), ...extra } },
});

describe('CloudStackClient async and mutating commands over real HTTP', () => {
  let fake: FakeCloudStack;
  let client: CloudStackClient;

  beforeAll(async () => {
    fake = await FakeCloudStack.start(API_KEY, SECRET);
  });
  afterAll(async () => fake.stop());
  beforeEach(() => {
    fake.reset();
    client = new CloudStackClient({ url: fake.url, apiKey: API_KEY, secretKey: SECRET, asyncJobs: { pollIntervalMs: 10, timeoutMs: 2000 } });
  });

  it('polls queryAsyncJobResult until a job succeeds and maps its host', async () => {
    fake.on('prepareHostForMaintenance', () => ({ body: { preparehostformaintenanceresponse: { jobid: 'j1' } } }));
    fake.on('queryAsyncJobResult', (_c, nth) => (nth < 3 ? job(0) : job(1, { host: rawHost('Maintenance') }, { jobresulttype: 'object' })));
    await expect(client.prepareHostForMaintenance('h1')).resolves.toMatchObject({ id: 'h1', resourceState: 'Maintenance' });
    expect(client.calls.snapshot()).toEqual({ prepareHostForMaintenance: 1, queryAsyncJobResult: 3 });
    expect(fake.callsOf('queryAsyncJobResult').every((c) => c.params.jobid === 'j1')).toBe(true);
  });

  it('turns jobstatus 2 into CloudStackAsyncJobError with errorcode and errortext', async () => {
    fake.on('cancelHostMaintenance', () => ({ body: { cancelhostmaintenanceresponse: { jobid: 'j1' } } }));
    fake.on('queryAsyncJobResult', () => job(2, { errorcode: 530, errortext: 'Host h1 is not in maintenance' }, { jobresultcode: 530, jobresulttype: 'object' }));
    const error = await client.cancelHostMaintenance('h1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudStackAsyncJobError);
    expect(error).toMatchObject({ kind: 'async-job', jobId: 'j1', errorCode: 530, errorText: 'Host h1 is not in maintenance', command: 'cancelHostMaintenance' });
  });

  it('gives up on a job still pending at the deadline', async () => {
    const quick = new CloudStackClient({ url: fake.url, apiKey: API_KEY, secretKey: SECRET, asyncJobs: { pollIntervalMs: 20, timeoutMs: 100 } });
    fake.on('reconnectHost', () => ({ body: { reconnecthostresponse: { jobid: 'j1' } } }));
    fake.on('queryAsyncJobResult', () => job(0));
    const error = await quick.reconnectHost('h1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudStackAsyncTimeoutError);
    const waited = Number(/reconnectHost job j1 still pending after (\d+) ms/.exec((error as Error).message)?.[1]);
    // Given up only when another interval would pass the deadline, after asking at least once.
    expect(waited + 20).toBeGreaterThan(100);
    expect(quick.calls.count('queryAsyncJobResult')).toBeGreaterThanOrEqual(1);
  });

  it('updates a traffic label through an async job', async () => {
    fake.on('updateTrafficType', () => ({ body: { updatetraffictyperesponse: { jobid: 'j1' } } }));
    fake.on('queryAsyncJobResult', () =>
      job(1, { traffictype: { id: 't1', traffictype: 'Guest', physicalnetworkid: 'pn1', kvmnetworklabel: 'cloudbr1' } }),
    );
    await expect(client.updateTrafficTypeLabel('t1', 'cloudbr1')).resolves.toEqual({
      id: 't1', trafficType: 'Guest', physicalNetworkId: 'pn1', kvmNetworkLabel: 'cloudbr1',
    });
    expect(fake.callsOf('updateTrafficType')[0]?.params).toMatchObject({ id: 't1', kvmnetworklabel: 'cloudbr1' });
  });

  it('updateHost sends Enable/Disable and refuses anything else client-side', async () => {
    fake.on('updateHost', () => ({ body: { updatehostresponse: { host: rawHost('Enabled') } } }));
    await expect(client.updateHostAllocation('h1', 'Enable')).resolves.toMatchObject({ resourceState: 'Enabled' });
    await expect(client.updateHostAllocation('h1', 'Enabled' as HostAllocationAction)).rejects.toThrow(CloudStackValidationError);
    await expect(client.updateHostAllocation('h1', 'enable' as HostAllocationAction)).rejects.toThrow(/exactly "Enable" or "Disable"/);
    expect(client.calls.count('updateHost')).toBe(1);
  });

  it('refuses a label that is not a device name', async () => {
    await expect(client.updateTrafficTypeLabel('t1', 'br0; reboot')).rejects.toThrow(/kvmNetworkLabel: must be a Linux interface name/);
    expect(client.calls.total).toBe(0);
  });

  it('addHost sends a KVM http:// url and reads the list envelope', async () => {
    fake.on('addHost', () => ({ body: { addhostresponse: { count: 1, host: [rawHost('Disabled')] } } }));
    const host = await client.addHost({ zoneId: 'z1', podId: 'p1', clusterId: 'c1', address: '192.168.100.11', username: 'root', password: 'pw', allocationState: 'Disabled' });
    expect(host).toMatchObject({ id: 'h1', resourceState: 'Disabled' });
    expect(fake.callsOf('addHost')[0]?.params).toMatchObject({ url: 'http://192.168.100.11', hypervisor: 'KVM', clusterid: 'c1', allocationstate: 'Disabled' });
  });

  describe('several jobs at once', () => {
    const submitEach = (command: string) => (_c: unknown, nth: number) => ({ body: { [`${command.toLowerCase()}response`]: { jobid: `j${nth}` } } });
    const listing = (count: number, asyncjobs: unknown[]) => ({ body: { listasyncjobsresponse: { count, asyncjobs } } });
    const done = (jobid: string, hostId: string) => ({ jobid, jobstatus: 1, jobresulttype: 'object', jobresult: { host: { ...rawHost('Maintenance'), id: hostId } } });
    // Both submits land long before the first tick; no retries, so every failure the fake gives is one the poller sees.
    let several: CloudStackClient;
    beforeEach(() => {
      several = new CloudStackClient({ url: fake.url, apiKey: API_KEY, secretKey: SECRET, retries: { attempts: 1 }, asyncJobs: { pollIntervalMs: 150, timeoutMs: 2000 } });
      fake.on('prepareHostForMaintenance', submitEach('prepareHostForMaintenance'));
    });
    const both = () => Promise.allSettled([several.prepareHostForMaintenance('h1'), several.prepareHostForMaintenance('h2')]);

    it('reads them from listAsyncJobs: each resolves or fails from its own item', async () => {
      fake.on('listAsyncJobs', (_c, nth) => (nth < 2
        ? listing(3, [{ jobid: 'j0', jobstatus: 1 }, { jobid: 'j1', jobstatus: 0 }, { jobid: 'j2', jobstatus: 0 }])
        : listing(3, [
          { jobid: 'j0', jobstatus: 1 },
          done('j1', 'h1'),
          { jobid: 'j2', jobstatus: 2, jobresultcode: 530, jobresult: { errorcode: 530, errortext: 'no room to migrate' } },
        ])));
      const [ok, failed] = await both();
      expect(ok).toMatchObject({ status: 'fulfilled', value: { id: 'h1', resourceState: 'Maintenance' } });
      expect(failed).toMatchObject({ status: 'rejected', reason: { kind: 'async-job', jobId: 'j2', errorText: 'no room to migrate' } });
      expect(several.calls.count('queryAsyncJobResult')).toBe(0);
      expect(several.calls.count('listAsyncJobs')).toBe(2);
    });

    it('queries alone a job the listing did not show, in the same tick', async () => {
      fake.on('listAsyncJobs', () => listing(1, [done('j1', 'h1')]));
      fake.on('queryAsyncJobResult', (call) => ({ body: { queryasyncjobresultresponse: done(call.params.jobid!, 'h2') } }));
      const results = await both();
      expect(results.map((r) => r.status === 'fulfilled' && r.value.id)).toEqual(['h1', 'h2']);
      expect(fake.callsOf('queryAsyncJobResult').map((c) => c.params.jobid)).toEqual(['j2']);
    });

    it('asks nothing more in a tick whose listing failed for a passing reason (503), and reads both on the next', async () => {
      fake.on('listAsyncJobs', (_c, nth) => (nth === 1
        ? { status: 503, body: { listasyncjobsresponse: { errorcode: 503, errortext: 'busy' } } }
        : listing(2, [done('j1', 'h1'), done('j2', 'h2')])));
      const results = await both();
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
      expect(fake.callsOf('listAsyncJobs')).toHaveLength(2);
      expect(fake.callsOf('queryAsyncJobResult')).toHaveLength(0);
    });

    it('queries each job alone when CloudStack refuses listAsyncJobs to the key (a role without it), and stops asking', async () => {
      fake.on('reconnectHost', submitEach('reconnectHost'));
      fake.on('queryAsyncJobResult', (call, nth) => (nth <= 2 ? job(0) : {
        body: { queryasyncjobresultresponse: { jobid: call.params.jobid, jobstatus: 1, jobresult: { host: { ...rawHost('Enabled'), id: call.params.jobid === 'j1' ? 'h1' : 'h2' } } } },
      }));
      // FakeCloudStack answers a command it has no handler for as CloudStack does one outside the role: 401.
      const hosts = await Promise.all([several.reconnectHost('h1'), several.reconnectHost('h2')]);
      expect(hosts.map((h) => h.id)).toEqual(['h1', 'h2']);
      expect(fake.callsOf('listAsyncJobs')).toHaveLength(1);
      expect(several.calls.count('queryAsyncJobResult')).toBeGreaterThanOrEqual(4);
    });
  });

  describe('a read of a job that fails for a passing reason', () => {
    const quick = (timeoutMs: number) => new CloudStackClient({ url: fake.url, apiKey: API_KEY, secretKey: SECRET, retries: { attempts: 1 }, asyncJobs: { pollIntervalMs: 20, timeoutMs } });
    beforeEach(() => fake.on('reconnectHost', () => ({ body: { reconnecthostresponse: { jobid: 'j1' } } })));

    it('is no answer: the job stays pending and resolves from a later read', async () => {
      fake.on('queryAsyncJobResult', (_c, nth) => (nth <= 2
        ? { status: 503, body: { queryasyncjobresultresponse: { errorcode: 503, errortext: 'busy' } } }
        : job(1, { host: rawHost('Enabled') }, { jobresulttype: 'object' })));
      await expect(quick(2000).reconnectHost('h1')).resolves.toMatchObject({ id: 'h1' });
      expect(fake.callsOf('queryAsyncJobResult')).toHaveLength(3);
    });

    it('ends, when no read ever answers, in the async timeout, which says the job may still run (never the 503)', async () => {
      fake.on('queryAsyncJobResult', () => ({ status: 503, body: { queryasyncjobresultresponse: { errorcode: 503, errortext: 'busy' } } }));
      const error = await quick(150).reconnectHost('h1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CloudStackAsyncTimeoutError);
      expect(fake.callsOf('queryAsyncJobResult').length).toBeGreaterThanOrEqual(2);
    });

    it('rejects at once when the read is refused for good (a job id CloudStack does not know: 431)', async () => {
      fake.on('queryAsyncJobResult', () => ({ status: 431, body: { queryasyncjobresultresponse: { errorcode: 431, errortext: 'Unable to execute API command queryasyncjobresult due to invalid value' } } }));
      const error = await quick(2000).reconnectHost('h1').catch((e: unknown) => e);
      expect(error).toMatchObject({ httpStatus: 431 });
      expect(fake.callsOf('queryAsyncJobResult')).toHaveLength(1);
    });
  });
});
