import type { CloudStackSimulator, VmMigrationTarget } from '../../../apps/simulator/src/cloudstack';
import { call, settledMaintenance, startSimulator, waitForJob } from './simulator-test-client';

/** After prepareHostForMaintenance answers, the migrateVms hook runs (a lab moves its VM namespaces there), then Maintenance. */
describe('CloudStack simulator: the migrateVms hook of prepareHostForMaintenance', () => {
  let sim: CloudStackSimulator;
  const seen: { host: string; resourceState: string }[] = [];
  let refuse: string | undefined;
  const host = (name: string) => sim.state.hosts.find((h) => h.name === name)!;
  const prepare = async (name: string) => {
    const { jobid } = (await call(sim, { command: 'prepareHostForMaintenance', id: host(name).id })).json.preparehostformaintenanceresponse;
    return waitForJob(sim, jobid);
  };

  beforeAll(async () => {
    sim = await startSimulator({
      asyncJobDelayMs: 10,
      migrateVms: async (target: VmMigrationTarget) => {
        await new Promise((r) => setTimeout(r, 50));
        seen.push({ host: target.name, resourceState: host(target.name).resourceState });
        if (refuse === target.name) throw new Error('vnet0 could not be moved');
      },
    });
    for (const name of ['kvm1', 'kvm2', 'kvm3']) sim.state.setHostState(name, 'Up', 'Enabled');
  });
  afterAll(() => sim.stop());

  it('runs the hook while the host is PrepareForMaintenance, and only then puts it in Maintenance', async () => {
    const done = await prepare('kvm1');
    expect(done).toMatchObject({ jobstatus: 1, jobresult: { host: { resourcestate: 'PrepareForMaintenance' } } });
    expect(await settledMaintenance(sim, 'kvm1')).toBe('Maintenance');
    expect(seen).toEqual([{ host: 'kvm1', resourceState: 'PrepareForMaintenance' }]);
  });

  it('a hook that fails leaves the host ErrorInPrepareForMaintenance after the job answered', async () => {
    refuse = 'kvm2';
    expect(await prepare('kvm2')).toMatchObject({ jobstatus: 1, jobresult: { host: { resourcestate: 'PrepareForMaintenance' } } });
    expect(await settledMaintenance(sim, 'kvm2')).toBe('ErrorInPrepareForMaintenance');
  });
});
