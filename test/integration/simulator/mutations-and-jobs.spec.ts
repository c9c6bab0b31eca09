import type { CloudStackSimulator, HostNetworkProbeTarget } from '../../../apps/simulator/src/cloudstack';
import { call, settledMaintenance, startSimulator, waitForJob } from './simulator-test-client';

describe('CloudStack simulator: mutating commands and async jobs', () => {
  let sim: CloudStackSimulator;
  let bridgesPresent = true;
  const probed: HostNetworkProbeTarget[] = [];

  beforeAll(async () => {
    sim = await startSimulator({
      // long enough that the next request sees the job pending even on a loaded machine
      asyncJobDelayMs: 600,
      hostNetworkProbe: async (target) => {
        probed.push(target);
        return bridgesPresent ? { ok: true, missing: [] } : { ok: false, missing: ['cloudbr1'] };
      },
    });
  });
  afterAll(() => sim.stop());
  beforeEach(() => {
    sim.calls.clear();
    sim.faults.clear();
    bridgesPresent = true;
    probed.length = 0;
  });

  const host = (name: string) => sim.state.hosts.find((h) => h.name === name)!;
  const trafficType = (type: string) => sim.state.trafficTypes.find((t) => t.trafficType === type)!;

  it('updateTrafficType returns only {jobid}, stays pending for the delay, then succeeds with the new label', async () => {
    const submit = await call(sim, { command: 'updateTrafficType', id: trafficType('Public').id, kvmnetworklabel: 'cloudbr9' });
    expect(submit.status).toBe(200);
    expect(Object.keys(submit.json.updatetraffictyperesponse)).toEqual(['jobid']);
    const { jobid } = submit.json.updatetraffictyperesponse;
    const pending = (await call(sim, { command: 'queryAsyncJobResult', jobid })).json.queryasyncjobresultresponse;
    expect(pending).toMatchObject({ jobid, jobstatus: 0, jobinstancetype: 'TrafficType' });
    expect(pending).not.toHaveProperty('jobresult');
    expect(trafficType('Public').kvmNetworkLabel).toBe('cloudbr1');
    const done = await waitForJob(sim, jobid);
    expect(done).toMatchObject({ jobstatus: 1, jobresultcode: 0, jobresulttype: 'object' });
    expect(done.jobresult.traffictype).toEqual({
      id: trafficType('Public').id, traffictype: 'Public', physicalnetworkid: trafficType('Public').physicalNetworkId, kvmnetworklabel: 'cloudbr9',
    });
    expect(done.completed).toMatch(/\+0000$/);
    trafficType('Public').kvmNetworkLabel = 'cloudbr1';
  });

  it('updateTrafficType with an empty label clears it (absent from listTrafficTypes)', async () => {
    const guest = trafficType('Guest');
    const { jobid } = (await call(sim, { command: 'updateTrafficType', id: guest.id, kvmnetworklabel: '' })).json.updatetraffictyperesponse;
    await waitForJob(sim, jobid);
    const listed = (await call(sim, { command: 'listTrafficTypes', physicalnetworkid: guest.physicalNetworkId })).json;
    const entry = listed.listtraffictypesresponse.traffictype.find((t: { traffictype: string }) => t.traffictype === 'Guest');
    expect(entry).not.toHaveProperty('kvmnetworklabel');
    await waitForJob(sim, (await call(sim, { command: 'updateTrafficType', id: guest.id, kvmnetworklabel: 'cloudbr0' })).json.updatetraffictyperesponse.jobid);
  });

  it('updateHost accepts exactly Enable/Disable and reports Enabled/Disabled', async () => {
    const enabled = await call(sim, { command: 'updateHost', id: host('kvm1').id, allocationstate: 'Enable' });
    expect(enabled.status).toBe(200);
    expect(enabled.json.updatehostresponse.host).toMatchObject({ name: 'kvm1', resourcestate: 'Enabled' });
    for (const wrong of ['enable', 'Enabled', 'DISABLE']) {
      const answer = await call(sim, { command: 'updateHost', id: host('kvm1').id, allocationstate: wrong });
      expect(answer.status).toBe(431);
      expect(answer.json).toEqual({ updatehostresponse: {
        uuidList: [], errorcode: 431, cserrorcode: 4350, errortext: `Invalid allocation state: ${wrong}, only Enable/Disable are allowed`,
      } });
    }
    expect(host('kvm1').resourceState).toBe('Enabled');
    const disabled = await call(sim, { command: 'updateHost', id: host('kvm1').id, allocationstate: 'Disable' });
    expect(disabled.json.updatehostresponse.host.resourcestate).toBe('Disabled');
  });

  it('prepareHostForMaintenance answers PrepareForMaintenance, then Maintenance; cancelHostMaintenance → Enabled, via jobs with {host} results', async () => {
    const prepare = await call(sim, { command: 'prepareHostForMaintenance', id: host('kvm2').id });
    expect(host('kvm2').resourceState).toBe('PrepareForMaintenance');
    const prepared = await waitForJob(sim, prepare.json.preparehostformaintenanceresponse.jobid);
    expect(prepared).toMatchObject({ jobstatus: 1, jobinstancetype: 'Host', jobinstanceid: host('kvm2').id });
    // as CloudStack's ResourceManagerImpl.maintain: the job answers once the migrations are scheduled
    expect(prepared.jobresult.host).toMatchObject({ id: host('kvm2').id, resourcestate: 'PrepareForMaintenance' });
    expect(await settledMaintenance(sim, 'kvm2')).toBe('Maintenance');
    const cancel = await call(sim, { command: 'cancelHostMaintenance', id: host('kvm2').id });
    const cancelled = await waitForJob(sim, cancel.json.cancelhostmaintenanceresponse.jobid);
    expect(cancelled.jobresult.host.resourcestate).toBe('Enabled');
  });

  it('reports a failed job with jobstatus 2 and {errorcode, errortext}', async () => {
    sim.state.setHostState('kvm3', 'Alert', 'Disabled');
    const cancel = await call(sim, { command: 'cancelHostMaintenance', id: host('kvm3').id });
    const failed = await waitForJob(sim, cancel.json.cancelhostmaintenanceresponse.jobid);
    expect(failed).toMatchObject({ jobstatus: 2, jobresultcode: 530, jobresulttype: 'object' });
    expect(failed.jobresult).toEqual({ errorcode: 530, errortext: expect.stringContaining('Cannot perform cancelMaintenance') });
  });

  it('can be told to fail the next job of a command', async () => {
    sim.faults.failNextJob(1, { command: 'updateTrafficType', errortext: 'injected failure' });
    const { jobid } = (await call(sim, { command: 'updateTrafficType', id: trafficType('Public').id, kvmnetworklabel: 'x' })).json.updatetraffictyperesponse;
    expect((await waitForJob(sim, jobid)).jobresult).toEqual({ errorcode: 530, errortext: 'injected failure' });
    expect(trafficType('Public').kvmNetworkLabel).not.toBe('x');
  });

  it('reconnectHost asks the probe for the zone labels: Alert while bridges are missing, Up once present', async () => {
    sim.state.setHostState('kvm3', 'Alert', 'Disabled');
    bridgesPresent = false;
    const first = await call(sim, { command: 'reconnectHost', id: host('kvm3').id });
    expect(host('kvm3').state).toBe('Connecting');
    const failed = await waitForJob(sim, first.json.reconnecthostresponse.jobid);
    expect(failed.jobstatus).toBe(2);
    expect(failed.jobresult.errortext).toContain('Can not find network: cloudbr1');
    expect(host('kvm3').state).toBe('Alert');
    expect(probed[0]).toEqual({ id: host('kvm3').id, name: 'kvm3', ipAddress: '192.168.100.22', requiredLabels: ['cloudbr0', 'cloudbr1'] });
    bridgesPresent = true;
    const second = await call(sim, { command: 'reconnectHost', id: host('kvm3').id });
    expect((await waitForJob(sim, second.json.reconnecthostresponse.jobid)).jobresult.host.state).toBe('Up');
  });

  it('records mutating calls, and lets tests change hosts directly', async () => {
    await call(sim, { command: 'listHosts' });
    await call(sim, { command: 'updateHost', id: host('kvm1').id, allocationstate: 'Enable' });
    await call(sim, { command: 'updateHost', id: host('kvm1').id, allocationstate: 'enable' });
    const mutations = sim.calls.mutations();
    expect(mutations.map((m) => [m.command, m.params.allocationstate, m.status])).toEqual([
      ['updateHost', 'Enable', 200], ['updateHost', 'enable', 431],
    ]);
    expect(sim.calls.count()).toBe(3);
    const added = sim.state.addHostRecord({ name: 'kvm4', ipAddress: '192.168.100.23', state: 'Up', resourceState: 'Disabled' });
    const listed = (await call(sim, { command: 'listHosts', id: added.id })).json.listhostsresponse.host[0];
    expect(listed).toMatchObject({ name: 'kvm4', clustername: 'cluster1', podname: 'pod1', resourcestate: 'Disabled' });
    sim.state.removeHost(added.id);
  });
});
