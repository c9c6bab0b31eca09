import type { CloudStackSimulator } from '../../../apps/simulator/src/cloudstack';
import { call, settledMaintenance, startSimulator, waitForJob } from './simulator-test-client';

/** The reference zone's 3 hosts in one cluster, all Up and Enabled, with VMs to migrate. */
describe('CloudStack simulator: maintenance migrates VMs within the cluster', () => {
  let sim: CloudStackSimulator;
  const host = (name: string) => sim.state.hosts.find((h) => h.name === name)!;
  const prepare = async (name: string) => {
    const { jobid } = (await call(sim, { command: 'prepareHostForMaintenance', id: host(name).id })).json.preparehostformaintenanceresponse;
    return waitForJob(sim, jobid);
  };
  const cancel = async (name: string) => {
    const { jobid } = (await call(sim, { command: 'cancelHostMaintenance', id: host(name).id })).json.cancelhostmaintenanceresponse;
    return waitForJob(sim, jobid);
  };

  beforeAll(async () => {
    sim = await startSimulator({ asyncJobDelayMs: 30 });
  });
  afterAll(() => sim.stop());
  beforeEach(() => {
    sim.faults.clear();
    for (const name of ['kvm1', 'kvm2', 'kvm3']) sim.state.setHostState(name, 'Up', 'Enabled');
    sim.state.setRunningVms('kvm1', 4, 10);
    sim.state.setRunningVms('kvm2', 1, 10);
    sim.state.setRunningVms('kvm3', 2, 10);
  });

  it('moves every VM to the cluster\'s other Up+Enabled hosts and lists them there', async () => {
    const done = await prepare('kvm1');
    expect(done).toMatchObject({ jobstatus: 1, jobresult: { host: { resourcestate: 'PrepareForMaintenance' } } });
    expect(await settledMaintenance(sim, 'kvm1')).toBe('Maintenance');
    expect([host('kvm1'), host('kvm2'), host('kvm3')].map((h) => h.runningVms)).toEqual([0, 4, 3]);
    const listed = (await call(sim, { command: 'listVirtualMachines', hostid: host('kvm2').id, state: 'Running', listall: 'true' })).json;
    expect(listed.listvirtualmachinesresponse.count).toBe(4);
    expect((await cancel('kvm1')).jobresult.host.resourcestate).toBe('Enabled');
  });

  it('goes ErrorInPrepareForMaintenance after the job when the cluster has no room, and refuses a second host meanwhile', async () => {
    sim.state.setRunningVms('kvm1', 18);
    expect(await prepare('kvm1')).toMatchObject({ jobstatus: 1, jobresult: { host: { resourcestate: 'PrepareForMaintenance' } } });
    expect(await settledMaintenance(sim, 'kvm1')).toBe('ErrorInPrepareForMaintenance');
    expect(host('kvm1').runningVms).toBe(18);
    const refused = await prepare('kvm2');
    expect(refused.jobresult.errortext).toMatch(/other servers attempting migrations.*kvm1/);
    expect(host('kvm2').resourceState).toBe('Enabled');
    expect((await cancel('kvm1')).jobstatus).toBe(1);
  });

  it('leaves a host in the injected error state (faults.failHostMaintenance) with its VMs where they were', async () => {
    sim.faults.failHostMaintenance(1, { host: 'kvm3' });
    const failed = await prepare('kvm3');
    expect(failed.jobstatus).toBe(2);
    expect(host('kvm3')).toMatchObject({ resourceState: 'ErrorInMaintenance', runningVms: 2 });
    expect((await prepare('kvm2')).jobstatus).toBe(1); // ErrorInMaintenance does not block the cluster
    expect(await settledMaintenance(sim, 'kvm2')).toBe('Maintenance');
    await cancel('kvm2');
    await cancel('kvm3');
    expect(host('kvm3').resourceState).toBe('Enabled');
  });
});
